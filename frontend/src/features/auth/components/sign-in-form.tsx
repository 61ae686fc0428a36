import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { signIn } from '../api/sign-in.ts';
import { useAuthForm } from '../hooks/use-auth-form.ts';
import { signInSchema } from '../schemas/sign-in.ts';
import { AuthForm, EmailField } from './auth-form.tsx';

/**
 * Email and password sign-in. On success the session store changes and the page around the
 * form navigates; on failure the reason is shown and the password field takes focus again.
 */
export function SignInForm() {
  const { t } = useTranslation('auth');
  const { register, failure, submitWith, fieldError, formState } = useAuthForm({
    schema: signInSchema,
    defaultValues: { email: '', password: '' },
    refocus: 'password',
  });

  const onSubmit = submitWith(signIn);

  return (
    <AuthForm label={t('signIn.form')} failure={failure} onSubmit={onSubmit}>
      <EmailField error={fieldError('email')} {...register('email')} />
      <TextField
        label={t('fields.password')}
        type="password"
        autoComplete="current-password"
        error={fieldError('password')}
        {...register('password')}
      />
      <Button type="submit" pending={formState.isSubmitting} pendingLabel={t('signIn.pending')}>
        {t('signIn.submit')}
      </Button>
      <p className="auth-links">
        <Link to="/forgot-password">{t('signIn.forgotPassword')}</Link>
      </p>
    </AuthForm>
  );
}
