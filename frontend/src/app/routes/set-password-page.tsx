import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { acceptInvitation } from '@/features/auth/api/team-access.ts';
import { SetPasswordForm } from '@/features/auth/components/set-password-form.tsx';
import { resyncSession, useSession } from '@/features/auth/hooks/use-session.ts';
import { toast } from '@/stores/toast-store.ts';

import { AuthLayout } from '../layout/auth-layout.tsx';
import { MfaChallengePage } from './mfa-challenge-page.tsx';

export interface SetPasswordPageProps {
  title: string;
  intro: string;
  formLabel: string;
  submitLabel: string;
  doneMessage: string;
  /** The invite link: once the password is set, the invitation is accepted too. */
  acceptsInvitation?: boolean;
}

/**
 * Where a reset or invite link lands: supabase-js has already signed the person in from the URL
 * fragment (PASSWORD_RECOVERY or SIGNED_IN), so a session here means the link was good.
 */
export function SetPasswordPage({
  title,
  intro,
  formLabel,
  submitLabel,
  doneMessage,
  acceptsInvitation = false,
}: SetPasswordPageProps) {
  const { t } = useTranslation('auth');
  const { status } = useSession();
  const navigate = useNavigate();
  const [acceptFailure, setAcceptFailure] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);

  async function finish() {
    if (acceptsInvitation) {
      const accepted = await acceptInvitation();
      if (!accepted.ok) {
        setAcceptFailure(accepted.messageKey);
        return;
      }
      // No auth event announces it: the store learns the accepted state before the app opens.
      await resyncSession();
    }
    toast.success(doneMessage);
    void navigate('/', { replace: true });
  }

  if (status === 'loading') return <LoadingState label={t('checkingLink')} />;
  if (status === 'signed-out') {
    return (
      <AuthLayout title={t('linkInvalid.title')}>
        <p role="alert">{t('linkInvalid.description')}</p>
        <p className="auth-links">
          <Link to="/forgot-password">{t('linkInvalid.requestNew')}</Link>
        </p>
      </AuthLayout>
    );
  }
  if (status === 'mfa-required') return <MfaChallengePage />;
  if (acceptFailure) {
    // The password is saved; only the acceptance is left to try again.
    return (
      <AuthLayout title={title}>
        <p role="alert" className="form-error">
          {t(acceptFailure)}
        </p>
        <Button
          pending={retrying}
          onClick={() => {
            setRetrying(true);
            setAcceptFailure(null);
            void finish().finally(() => setRetrying(false));
          }}
        >
          {t('acceptInvite.retry')}
        </Button>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={title}>
      <p>{intro}</p>
      <SetPasswordForm formLabel={formLabel} submitLabel={submitLabel} onDone={finish} />
    </AuthLayout>
  );
}
