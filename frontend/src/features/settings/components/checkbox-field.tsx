import { useId, type ComponentPropsWithRef } from 'react';

export interface CheckboxFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'type'> {
  label: string;
  /** What ticking it means, read with the label. */
  hint?: string;
}

/** A labelled native checkbox with its explanation; `ref` passes through for react-hook-form. */
export function CheckboxField({ label, hint, id, ...inputProps }: CheckboxFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  return (
    <div className="checkbox-field">
      <input id={inputId} type="checkbox" aria-describedby={hint ? hintId : undefined} {...inputProps} />
      <div>
        <label htmlFor={inputId}>{label}</label>
        {hint ? <p id={hintId}>{hint}</p> : null}
      </div>
    </div>
  );
}
