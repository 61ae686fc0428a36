import { useEffect, useRef, type ComponentPropsWithoutRef } from 'react';

export interface CheckboxProps extends Omit<ComponentPropsWithoutRef<'input'>, 'type'> {
  /** The accessible name; shown beside the box unless `hideLabel` (a table's row selector). */
  label: string;
  hideLabel?: boolean;
  /** "Some but not all": a select-all box over a partly selected page. */
  indeterminate?: boolean;
}

/** A native checkbox with its label: Space toggles it, and screen readers announce the mixed state. */
export function Checkbox({ label, hideLabel, indeterminate = false, className, ...inputProps }: CheckboxProps) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // `indeterminate` exists only as a DOM property, not as an attribute React could set.
    if (ref.current) ref.current.indeterminate = indeterminate;
  }, [indeterminate]);
  return (
    <label className={['checkbox', className].filter(Boolean).join(' ')}>
      <input ref={ref} type="checkbox" aria-checked={indeterminate ? 'mixed' : undefined} {...inputProps} />
      <span className={hideLabel ? 'visually-hidden' : undefined}>{label}</span>
    </label>
  );
}
