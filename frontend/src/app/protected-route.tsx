import { Navigate, Outlet, useLocation } from 'react-router-dom';

import { Loading } from '@/components/ui/loading.tsx';
import { useSession } from '@/features/auth/hooks/use-session.ts';

/**
 * Renders its child routes only for a signed-in person; anyone else goes to /sign-in, carrying
 * the page they asked for so sign-in can bring them back to it.
 */
export function ProtectedRoute() {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Loading label="Checking your session…" />;
  if (status === 'signed-out') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}
