import type { ComponentPropsWithRef, ReactNode } from 'react';

export interface ButtonProps extends ComponentPropsWithRef<'button'> {
  variant?: 'primary' | 'secondary';
  /** While true the button is disabled and shows `pendingLabel`, so a slow request is not sent twice. */
  pending?: boolean;
  pendingLabel?: ReactNode;
}

export function Button({
  variant = 'primary',
  pending = false,
  pendingLabel,
  disabled,
  type = 'button',
  className,
  children,
  ...buttonProps
}: ButtonProps) {
  return (
    <button
      type={type}
      className={['button', `button-${variant}`, className].filter(Boolean).join(' ')}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      {...buttonProps}
    >
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
