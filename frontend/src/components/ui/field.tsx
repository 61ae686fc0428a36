import { useId, type ReactNode } from 'react';

/** What a field's control needs to be labelled and to carry its error. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  label: string;
  /** Shown under the control and linked to it, so screen readers read it with the field. */
  error?: string;
  id?: string;
  className?: string;
  /** Renders the control; spread the props onto it before the caller's own. */
  children: (control: FieldControlProps) => ReactNode;
}

/** The `.field` frame around one control: its label, the control, and its validation message. */
export function Field({ label, error, id, className, children }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const errorId = `${controlId}-error`;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={controlId}>{label}</label>
      {children({
        id: controlId,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': error ? errorId : undefined,
      })}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
