import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { setNewPassword } from '../api/password.ts';
import { useAuthForm } from '../hooks/use-auth-form.ts';
import { MIN_PASSWORD_LENGTH, newPasswordSchema } from '../schemas/password.ts';
import { AuthForm } from './auth-form.tsx';

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
  const { register, failure, submitWith, fieldError, formState } = useAuthForm({
    schema: newPasswordSchema,
    defaultValues: { password: '', confirmation: '' },
  });

  const onSubmit = submitWith(setNewPassword, () => onDone());

  return (
    <AuthForm label={formLabel} failure={failure} onSubmit={onSubmit}>
      <TextField
        label={t('fields.newPassword')}
        type="password"
        autoComplete="new-password"
        autoFocus
        error={fieldError('password', { count: MIN_PASSWORD_LENGTH })}
        {...register('password')}
      />
      <TextField
        label={t('fields.confirmPassword')}
        type="password"
        autoComplete="new-password"
        error={fieldError('confirmation', { count: MIN_PASSWORD_LENGTH })}
        {...register('confirmation')}
      />
      <Button type="submit" pending={formState.isSubmitting} pendingLabel={t('setPassword.pending')}>
        {submitLabel}
      </Button>
    </AuthForm>
  );
}
