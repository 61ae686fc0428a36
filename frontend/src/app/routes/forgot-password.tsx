import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form.tsx';

import { AuthLayout } from '../layout/auth-layout.tsx';

export function ForgotPasswordRoute() {
  const { t } = useTranslation('auth');
  return (
    <AuthLayout title={t('forgotPassword.title')}>
      <ForgotPasswordForm />
      <p className="auth-links">
        <Link to="/sign-in">{t('backToSignIn')}</Link>
      </p>
    </AuthLayout>
  );
}
