import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';

import { requestPasswordReset } from '../api/password.ts';
import { useAuthForm } from '../hooks/use-auth-form.ts';
import { emailSchema } from '../schemas/password.ts';
import { AuthForm, EmailField } from './auth-form.tsx';

/** Asks for the reset link; afterwards says where to look, without telling whether the address exists. */
export function ForgotPasswordForm() {
  const { t } = useTranslation('auth');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { register, failure, submitWith, fieldError, formState } = useAuthForm({
    schema: emailSchema,
    defaultValues: { email: '' },
  });

  const onSubmit = submitWith(requestPasswordReset, (values) => setSentTo(values.email));

  if (sentTo) {
    return (
      <p role="status" className="form-success">
        {t('forgotPassword.sent', { email: sentTo })}
      </p>
    );
  }
  return (
    <AuthForm label={t('forgotPassword.form')} intro={t('forgotPassword.intro')} failure={failure} onSubmit={onSubmit}>
      <EmailField error={fieldError('email')} {...register('email')} />
      <Button type="submit" pending={formState.isSubmitting} pendingLabel={t('forgotPassword.pending')}>
        {t('forgotPassword.submit')}
      </Button>
    </AuthForm>
  );
}
