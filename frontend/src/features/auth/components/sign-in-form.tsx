import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { signIn } from '../api/sign-in.ts';
import { signInSchema, type SignInInput } from '../schemas/sign-in.ts';

/**
 * Email and password sign-in. On success the session store changes and the page around the
 * form navigates; on failure the reason is shown and the password field takes focus again.
 */
export function SignInForm() {
  const { t } = useTranslation('auth');
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: '', password: '' },
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await signIn(values);
    if (!result.ok) {
      setFailure(result.messageKey);
      setFocus('password', { shouldSelect: true });
    }
  });

  return (
    // noValidate: the zod schema gives every browser the same messages.
    <form className="auth-form" aria-label={t('signIn.form')} noValidate onSubmit={onSubmit}>
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
      <TextField
        label={t('fields.password')}
        type="password"
        autoComplete="current-password"
        error={errors.password?.message ? t(errors.password.message) : undefined}
        {...register('password')}
      />
      <Button type="submit" pending={isSubmitting} pendingLabel={t('signIn.pending')}>
        {t('signIn.submit')}
      </Button>
      <p className="auth-links">
        <Link to="/forgot-password">{t('signIn.forgotPassword')}</Link>
      </p>
    </form>
  );
}
