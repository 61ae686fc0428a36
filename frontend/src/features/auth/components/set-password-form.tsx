import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { setNewPassword } from '../api/password.ts';
import { MIN_PASSWORD_LENGTH, newPasswordSchema, type NewPasswordInput } from '../schemas/password.ts';

export interface SetPasswordFormProps {
  /** The form's accessible name and button label differ between reset and invite. */
  formLabel: string;
  submitLabel: string;
  /** Runs once the password is saved; the form stays busy until it settles. */
  onDone: () => void | Promise<void>;
}

/** A new password typed twice, for the reset link and the invite link (both sign the person in first). */
export function SetPasswordForm({ formLabel, submitLabel, onDone }: SetPasswordFormProps) {
  const { t } = useTranslation('auth');
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<NewPasswordInput>({
    resolver: zodResolver(newPasswordSchema),
    defaultValues: { password: '', confirmation: '' },
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await setNewPassword(values);
    if (result.ok) await onDone();
    else setFailure(result.messageKey);
  });

  const message = (key?: string) => (key ? t(key, { count: MIN_PASSWORD_LENGTH }) : undefined);
  return (
    <form className="auth-form" aria-label={formLabel} noValidate onSubmit={onSubmit}>
      {failure ? (
        <p role="alert" className="form-error">
          {t(failure)}
        </p>
      ) : null}
      <TextField
        label={t('fields.newPassword')}
        type="password"
        autoComplete="new-password"
        autoFocus
        error={message(errors.password?.message)}
        {...register('password')}
      />
      <TextField
        label={t('fields.confirmPassword')}
        type="password"
        autoComplete="new-password"
        error={message(errors.confirmation?.message)}
        {...register('confirmation')}
      />
      <Button type="submit" pending={isSubmitting} pendingLabel={t('setPassword.pending')}>
        {submitLabel}
      </Button>
    </form>
  );
}
