import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';

import { LoadingState } from '@/components/ui/loading-state.tsx';
import { useSession } from '@/features/auth/hooks/use-session.ts';

/**
 * Renders its child routes only for a signed-in person who has passed every factor their account
 * has (and enrolled one when the workspace requires it); anyone else goes to /sign-in (which
 * shows the MFA challenge or the enrolment when that is what is missing), carrying the page they
 * asked for so sign-in can bring them back to it. An invitee who has not accepted yet goes to
 * /accept-invite.
 */
export function ProtectedRoute() {
  const { t } = useTranslation('auth');
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <LoadingState label={t('checkingSession')} />;
  if (status === 'invitation-pending') return <Navigate to="/accept-invite" replace />;
  if (status !== 'signed-in') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}
