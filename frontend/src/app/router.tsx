import { createElement, Suspense, use, type ComponentType } from 'react';
import { matchPath, Route, Routes } from 'react-router-dom';

import { LoadingState } from '@/components/ui/loading-state.tsx';
import { loadNamespaces, type Namespace } from '@/lib/i18n.ts';

import { ProtectedRoute } from './protected-route.tsx';

type Page = ComponentType & {
  /** Starts downloading the page's code and strings now, before React asks for them. */
  preload(): void;
};

/**
 * A route module's named export as a page: every page is its own chunk, fetched together with
 * the translation namespaces it uses, so it never renders a missing key. Unlike `React.lazy`, a
 * page whose download finished before React renders it (see `preloadRoute`) renders at once:
 * React suspends only on a pending promise, and a revealed fallback holds the page back for up
 * to 300 ms.
 */
function page<K extends string>(
  load: () => Promise<Record<K, ComponentType> & { prefetch?: () => void }>,
  name: K,
  namespaces: readonly Namespace[] = [],
): Page {
  let pending: Promise<ComponentType> | undefined;
  const start = (): Promise<ComponentType> => {
    if (pending) return pending;
    // A route module may export `prefetch`: it starts the page's first requests the moment its
    // code arrives, while the strings are still on their way (no side effect at import).
    const code = load().then((module) => {
      module.prefetch?.();
      return module;
    });
    const promise = Promise.all([code, loadNamespaces(namespaces)]).then(([module]) => module[name]);
    // The outcome is written on the promise the way React's use() reads it, so a settled
    // promise never suspends.
    Object.assign(promise, { status: 'pending' });
    promise.then(
      (value) => Object.assign(promise, { status: 'fulfilled', value }),
      (reason: unknown) => {
        Object.assign(promise, { status: 'rejected', reason });
        pending = undefined; // a failed download is tried again next time
      },
    );
    return (pending = promise);
  };
  function Page() {
    // The module's component: the same one on every render once the download has settled.
    return createElement(use(start()));
  }
  return Object.assign(Page, { preload: () => void start().catch(() => undefined) });
}

// Each page is its own chunk, so the sign-in screen does not download the CRM behind it; the
// shell (and its query cache) is one chunk loaded only after sign-in.
const SignInRoute = page(() => import('./routes/sign-in.tsx'), 'SignInRoute');
const ForgotPasswordRoute = page(() => import('./routes/forgot-password.tsx'), 'ForgotPasswordRoute');
const ResetPasswordRoute = page(() => import('./routes/reset-password.tsx'), 'ResetPasswordRoute');
const AcceptInviteRoute = page(() => import('./routes/accept-invite.tsx'), 'AcceptInviteRoute');
const UnsubscribeRoute = page(() => import('./routes/unsubscribe.tsx'), 'UnsubscribeRoute', ['consent']);
const NotFoundRoute = page(() => import('./routes/not-found.tsx'), 'NotFoundRoute');
const AppShell = page(() => import('./layout/app-shell.tsx'), 'AppShell', ['shell', 'notifications', 'tasks']);
const DashboardRoute = page(() => import('./routes/dashboard.tsx'), 'DashboardRoute', [
  'shell',
  'dashboard',
  'integrations',
]);
const CustomersRoute = page(() => import('./routes/customers.tsx'), 'CustomersRoute', ['shell', 'customers']);
const CustomerRoute = page(() => import('./routes/customer.tsx'), 'CustomerRoute', [
  'shell',
  'customer',
  'orders',
  'messages',
  'pipeline',
  'integrations',
  'automation',
]);
const InboxRoute = page(() => import('./routes/inbox.tsx'), 'InboxRoute', ['shell', 'inbox', 'messages']);
const OrdersRoute = page(() => import('./routes/orders.tsx'), 'OrdersRoute', ['shell', 'orders', 'integrations']);
const OrderRoute = page(() => import('./routes/order.tsx'), 'OrderRoute', [
  'shell',
  'orders',
  'integrations',
  'fulfilments',
]);
const ProductRoute = page(() => import('./routes/product.tsx'), 'ProductRoute', ['shell', 'orders', 'fulfilments']);
const PipelineRoute = page(() => import('./routes/pipeline.tsx'), 'PipelineRoute', ['shell', 'pipeline']);
const PipelineAdminRoute = page(() => import('./routes/pipeline-admin.tsx'), 'PipelineAdminRoute', [
  'shell',
  'pipeline',
]);
const SegmentsRoute = page(() => import('./routes/segments.tsx'), 'SegmentsRoute', ['shell', 'segments']);
const AutomationRoute = page(() => import('./routes/automation.tsx'), 'AutomationRoute', [
  'shell',
  'automation',
  'segments',
]);
const CampaignsRoute = page(() => import('./routes/campaigns.tsx'), 'CampaignsRoute', ['shell', 'campaigns']);
const AnalyticsRoute = page(() => import('./routes/analytics.tsx'), 'AnalyticsRoute', [
  'shell',
  'analytics',
  'fulfilments',
]);
const PrivacyRoute = page(() => import('./routes/privacy.tsx'), 'PrivacyRoute', ['shell', 'portal']);
const SettingsRoute = page(() => import('./routes/settings.tsx'), 'SettingsRoute', [
  'settings',
  'templates',
  'analytics',
  'integrations',
  'portal',
  'campaigns',
]);
const ProfileRoute = page(() => import('./routes/profile.tsx'), 'ProfileRoute', ['settings']);
const TasksRoute = page(() => import('./routes/tasks.tsx'), 'TasksRoute', ['shell', 'tasks']);
const NotificationsRoute = page(() => import('./routes/notifications.tsx'), 'NotificationsRoute', [
  'shell',
  'notifications',
]);

/** The signed-in pages inside the shell, most specific first (the order `preloadRoute` matches in). */
const APP_PAGES: ReadonlyArray<{ path: string; Page: Page }> = [
  { path: '/', Page: DashboardRoute },
  { path: '/customers', Page: CustomersRoute },
  { path: '/customers/:customerId', Page: CustomerRoute },
  { path: '/inbox', Page: InboxRoute },
  { path: '/orders', Page: OrdersRoute },
  { path: '/orders/:orderId', Page: OrderRoute },
  { path: '/products/:productId', Page: ProductRoute },
  { path: '/pipeline/manage', Page: PipelineAdminRoute },
  { path: '/pipeline', Page: PipelineRoute },
  { path: '/tasks', Page: TasksRoute },
  { path: '/notifications', Page: NotificationsRoute },
  { path: '/segments', Page: SegmentsRoute },
  { path: '/automation', Page: AutomationRoute },
  { path: '/campaigns', Page: CampaignsRoute },
  { path: '/analytics', Page: AnalyticsRoute },
  { path: '/privacy', Page: PrivacyRoute },
  { path: '/settings/profile', Page: ProfileRoute },
  { path: '/settings/*', Page: SettingsRoute },
];

/**
 * Starts downloading the shell and the page a signed-in person opened, while the app still boots
 * and checks the session — instead of one after the other once each is rendered.
 */
export function preloadRoute(pathname: string): void {
  const match = APP_PAGES.find(({ path }) => matchPath(path, pathname));
  if (!match) return;
  AppShell.preload();
  match.Page.preload();
}

/**
 * The routes, in React Router's declarative mode: the app uses no loaders or actions (data comes
 * from TanStack Query), and the data router's code would cost the sign-in page kilobytes it has
 * no use for.
 */
export function AppRoutes() {
  return (
    <Suspense fallback={<LoadingState />}>
      <Routes>
        <Route path="/sign-in" element={<SignInRoute />} />
        <Route path="/forgot-password" element={<ForgotPasswordRoute />} />
        <Route path="/reset-password" element={<ResetPasswordRoute />} />
        <Route path="/accept-invite" element={<AcceptInviteRoute />} />
        <Route path="/unsubscribe" element={<UnsubscribeRoute />} />
        <Route element={<ProtectedRoute />}>
          <Route element={<AppShell />}>
            {APP_PAGES.map(({ path, Page }) =>
              path === '/' ? (
                <Route key={path} index element={<Page />} />
              ) : (
                <Route key={path} path={path.slice(1)} element={<Page />} />
              ),
            )}
          </Route>
        </Route>
        <Route path="*" element={<NotFoundRoute />} />
      </Routes>
    </Suspense>
  );
}
