export interface FormErrorProps {
  /** The translated reason the last submit failed; nothing is rendered without one. */
  message?: string | null;
}

/** A form's own failure (not a field's): announced at once, since it appears after a submit. */
export function FormError({ message }: FormErrorProps) {
  return message ? (
    <p role="alert" className="form-error">
      {message}
    </p>
  ) : null;
}
