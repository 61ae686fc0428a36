import type { FormEventHandler, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { TextField, type TextFieldProps } from '@/components/ui/text-field.tsx';

import { signOut } from '../api/sign-out.ts';

export interface AuthFormProps {
  /** The form's accessible name. */
  label: string;
  /** A sentence above the fields saying what the step is for. */
  intro?: string;
  /** The server's last refusal, a message key. */
  failure: string | null;
  className?: string;
  onSubmit: FormEventHandler<HTMLFormElement>;
  children: ReactNode;
}

/** The frame of every sign-in step: a named form, its intro, the refusal, then the fields. */
export function AuthForm({ label, intro, failure, className, onSubmit, children }: AuthFormProps) {
  const { t } = useTranslation('auth');
  return (
    // noValidate: the zod schema gives every browser the same messages.
    <form
      className={['auth-form', className].filter(Boolean).join(' ')}
      aria-label={label}
      noValidate
      onSubmit={onSubmit}
    >
      {intro ? <p>{intro}</p> : null}
      <FormError message={failure && t(failure)} />
      {children}
    </form>
  );
}

/** The way out of a second-factor step for someone who signed in with the wrong account. */
export function UseAnotherAccountButton() {
  const { t } = useTranslation('auth');
  return (
    <Button variant="secondary" onClick={() => void signOut()}>
      {t('mfa.useAnotherAccount')}
    </Button>
  );
}

/** The address field that opens sign-in and the reset request; the rest comes from `register`. */
export function EmailField(props: Omit<TextFieldProps, 'label'>) {
  const { t } = useTranslation('auth');
  return <TextField label={t('fields.email')} type="email" autoComplete="email" autoFocus {...props} />;
}
