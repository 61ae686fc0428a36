import { LogOut } from 'lucide-react';
import { useState } from 'react';

import { Button } from '@/components/ui/button.tsx';
import { signOut } from '@/features/auth/api/sign-out.ts';
import { useSession } from '@/features/auth/hooks/use-session.ts';

/** The signed-in landing page; the CRM screens replace its body in later issues. */
export function HomeRoute() {
  const { user } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  async function handleSignOut() {
    setSigningOut(true);
    // The session store turns to signed-out and the route guard redirects to /sign-in.
    await signOut();
  }

  return (
    <main className="home-page">
      <header className="home-header">
        <h1>Cairn</h1>
        <Button variant="secondary" pending={signingOut} pendingLabel="Signing out…" onClick={handleSignOut}>
          <LogOut aria-hidden="true" size={16} /> Sign out
        </Button>
      </header>
      <p>
        Signed in as <strong>{user?.email}</strong>
      </p>
    </main>
  );
}
