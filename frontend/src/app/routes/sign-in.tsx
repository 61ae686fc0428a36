import { Navigate, useLocation } from 'react-router-dom';

import { Loading } from '@/components/ui/loading.tsx';
import { SignInForm } from '@/features/auth/components/sign-in-form.tsx';
import { useSession } from '@/features/auth/hooks/use-session.ts';

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
  const { status } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Loading label="Checking your session…" />;
  if (status === 'signed-in') return <Navigate to={returnPath(location.state)} replace />;
  return (
    <main className="auth-page">
      <h1>Sign in to Cairn</h1>
      <SignInForm />
    </main>
  );
}
