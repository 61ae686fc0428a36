import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';

import { LoadingState } from '@/components/ui/loading-state.tsx';
import { MfaEnrolmentForm } from '@/features/auth/components/mfa-enrolment-form.tsx';
import { SignInForm } from '@/features/auth/components/sign-in-form.tsx';
import { useSession } from '@/features/auth/hooks/use-session.ts';

import { AuthLayout } from '../layout/auth-layout.tsx';
import { MfaChallengePage } from './mfa-challenge-page.tsx';

/** Where to go after signing in: the protected page that sent the person here, else home. */
function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const { from } = state;
    // Only an in-app path: never follow a full URL someone put into the history state.
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) return from;
  }
  return '/';
}

export function SignInRoute() {
  const { t } = useTranslation('auth');
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <LoadingState label={t('checkingSession')} />;
  if (status === 'signed-in') return <Navigate to={returnPath(location.state)} replace />;
  if (status === 'invitation-pending') return <Navigate to="/accept-invite" replace />;
  if (status === 'mfa-enrolment') {
    return (
      <AuthLayout title={t('enrol.title')}>
        <MfaEnrolmentForm />
      </AuthLayout>
    );
  }
  if (status === 'mfa-required') return <MfaChallengePage />;
  return (
    <AuthLayout title={t('signIn.title')}>
      <SignInForm />
    </AuthLayout>
  );
}
