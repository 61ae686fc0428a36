import { useCallback, type ComponentPropsWithRef, type Ref } from 'react';

export interface CheckboxProps extends Omit<ComponentPropsWithRef<'input'>, 'type'> {
  /** The accessible name; shown beside the box unless `hideLabel` (a table's row selector). */
  label: string;
  hideLabel?: boolean;
  /** "Some but not all": a select-all box over a partly selected page. */
  indeterminate?: boolean;
}

function assign<T>(ref: Ref<T> | undefined, value: T | null) {
  if (typeof ref === 'function') ref(value);
  else if (ref) ref.current = value;
}

/**
 * A native checkbox with its label: Space toggles it, screen readers announce the mixed state,
 * and `ref` passes through (react-hook-form's register).
 */
export function Checkbox({ label, hideLabel, indeterminate = false, className, ref, ...inputProps }: CheckboxProps) {
  // `indeterminate` exists only as a DOM property, not as an attribute React could set.
  const setInput = useCallback(
    (input: HTMLInputElement | null) => {
      if (input) input.indeterminate = indeterminate;
      assign(ref, input);
    },
    [indeterminate, ref],
  );
  return (
    <label className={['checkbox', className].filter(Boolean).join(' ')}>
      <input ref={setInput} type="checkbox" aria-checked={indeterminate ? 'mixed' : undefined} {...inputProps} />
      <span className={hideLabel ? 'visually-hidden' : undefined}>{label}</span>
    </label>
  );
}
