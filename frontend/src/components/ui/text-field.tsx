import type { ComponentPropsWithRef } from 'react';

import { Field } from './field.tsx';

export interface TextFieldProps extends ComponentPropsWithRef<'input'> {
  label: string;
  /** Shown under the input and linked to it, so screen readers read it with the field. */
  error?: string;
}

/** A labelled input with its validation message; `ref` passes through for react-hook-form. */
export function TextField({ label, error, id, className, ...inputProps }: TextFieldProps) {
  return (
    <Field label={label} error={error} id={id} className={className}>
      {(control) => <input {...control} {...inputProps} />}
    </Field>
  );
}
