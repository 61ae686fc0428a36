import { QueryClientProvider } from '@tanstack/react-query';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState, Skeleton } from '@/components/ui/loading-state.tsx';
import { signOut } from '@/features/auth/api/sign-out.ts';
import type { TeamMember } from '@/api/team-members.ts';
import { queryClient } from '@/lib/query-client.ts';
import { prefetchMember, useMemberQuery, viewerOf, ViewerContext } from '@/lib/viewer.ts';

import { SearchDialog } from './search-dialog.tsx';
import { Sidebar } from './sidebar.tsx';
import { TopBar } from './top-bar.tsx';

const SIDEBAR_ID = 'app-sidebar';

/**
 * The signed-in frame: sidebar, top bar, search, and the page. The query cache lives here, not at
 * the app root, so the sign-in screen does not download it (ADR 0003).
 */
/** Called by the router as soon as this code arrives (router.tsx): asks who is signed in at once. */
export function prefetch(): void {
  void prefetchMember();
}

export function AppShell() {
  return (
    <QueryClientProvider client={queryClient}>
      <MemberGate />
    </QueryClientProvider>
  );
}

/** Only active team members get the CRM; anyone else signed in is told so (RLS would show them nothing). */
function MemberGate() {
  const { t } = useTranslation('shell');
  const member = useMemberQuery();
  if (member.isPending) return <LoadingState label={t('loadingWorkspace')} />;
  if (member.isError) {
    return (
      <main className="auth-page">
        <ErrorState onRetry={() => void member.refetch()} />
      </main>
    );
  }
  if (!member.data?.active) {
    return (
      <main className="auth-page">
        <h1>{t('notMember.title')}</h1>
        <p>{t('notMember.description')}</p>
        <Button variant="secondary" onClick={() => void signOut()}>
          {t('userMenu.signOut')}
        </Button>
      </main>
    );
  }
  return <ShellFrame member={member.data} />;
}

/** Everything inside learns who is looking through useViewer() (src/lib/viewer.ts). */
function ShellFrame({ member }: { member: TeamMember }) {
  const { t } = useTranslation('shell');
  const viewer = useMemo(() => viewerOf(member), [member]);
  // The mobile sidebar is open on the page where it was opened: any navigation closes it,
  // whatever link (or search result) led away.
  const { pathname } = useLocation();
  const [openedOn, setOpenedOn] = useState<string | null>(null);
  const sidebarOpen = openedOn === pathname;
  const closeSidebar = () => setOpenedOn(null);
  const [searchOpen, setSearchOpen] = useState(false);

  // Ctrl+K / Cmd+K anywhere opens search, as in most tools people already use.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setSearchOpen(true);
      }
      if (event.key === 'Escape') setOpenedOn(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <ViewerContext.Provider value={viewer}>
      <div className="app-shell" data-sidebar-open={sidebarOpen}>
        <a className="skip-link" href="#main">
          {t('skipToContent')}
        </a>
        <Sidebar id={SIDEBAR_ID} open={sidebarOpen} onNavigate={closeSidebar} />
        {sidebarOpen ? <div className="sidebar-backdrop" aria-hidden="true" onClick={closeSidebar} /> : null}
        <div className="shell-main">
          <TopBar
            sidebarId={SIDEBAR_ID}
            sidebarOpen={sidebarOpen}
            onToggleSidebar={() => setOpenedOn(sidebarOpen ? null : pathname)}
            onOpenSearch={() => setSearchOpen(true)}
          />
          <main id="main" className="page" tabIndex={-1}>
            <Suspense fallback={<Skeleton lines={4} />}>
              <Outlet />
            </Suspense>
          </main>
        </div>
        <SearchDialog open={searchOpen} onOpenChange={setSearchOpen} />
      </div>
    </ViewerContext.Provider>
  );
}
