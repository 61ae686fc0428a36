import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { requestPasswordReset } from '../api/password.ts';
import { emailSchema, type EmailInput } from '../schemas/password.ts';

/** Asks for the reset link; afterwards says where to look, without telling whether the address exists. */
export function ForgotPasswordForm() {
  const { t } = useTranslation('auth');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<EmailInput>({ resolver: zodResolver(emailSchema), defaultValues: { email: '' } });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await requestPasswordReset(values);
    if (result.ok) setSentTo(values.email);
    else setFailure(result.messageKey);
  });

  if (sentTo) {
    return (
      <p role="status" className="form-success">
        {t('forgotPassword.sent', { email: sentTo })}
      </p>
    );
  }
  return (
    <form className="auth-form" aria-label={t('forgotPassword.form')} noValidate onSubmit={onSubmit}>
      <p>{t('forgotPassword.intro')}</p>
      {failure ? (
        <p role="alert" className="form-error">
          {t(failure)}
        </p>
      ) : null}
      <TextField
        label={t('fields.email')}
        type="email"
        autoComplete="email"
        autoFocus
        error={errors.email?.message ? t(errors.email.message) : undefined}
        {...register('email')}
      />
      <Button type="submit" pending={isSubmitting} pendingLabel={t('forgotPassword.pending')}>
        {t('forgotPassword.submit')}
      </Button>
    </form>
  );
}
