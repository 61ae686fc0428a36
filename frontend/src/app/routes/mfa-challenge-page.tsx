import { useTranslation } from 'react-i18next';

import { MfaChallengeForm } from '@/features/auth/components/mfa-challenge-form.tsx';

import { AuthLayout } from '../layout/auth-layout.tsx';

/** The second sign-in step, wherever a session still lacks it (sign-in, reset and invite links). */
export function MfaChallengePage() {
  const { t } = useTranslation('auth');
  return (
    <AuthLayout title={t('mfa.challengeTitle')}>
      <MfaChallengeForm />
    </AuthLayout>
  );
}
