import type { ComponentPropsWithRef } from 'react';

import { Field } from './field.tsx';

export interface SelectOption {
  value: string;
  label: string;
  /** The option's own language (language pickers), so screen readers pronounce it right. */
  lang?: string;
}

export interface SelectFieldProps extends ComponentPropsWithRef<'select'> {
  label: string;
  options: SelectOption[];
  error?: string;
}

/** A labelled native select: keyboard, type-ahead and mobile pickers come for free. */
export function SelectField({ label, options, error, id, className, ...selectProps }: SelectFieldProps) {
  return (
    <Field label={label} error={error} id={id} className={className}>
      {(control) => (
        <select {...control} {...selectProps}>
          {options.map((option) => (
            <option key={option.value} value={option.value} lang={option.lang}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
