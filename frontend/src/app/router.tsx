import { lazy, Suspense, type ComponentType } from 'react';
import { Route, Routes } from 'react-router-dom';

import { LoadingState } from '@/components/ui/loading-state.tsx';
import { loadNamespaces, type Namespace } from '@/lib/i18n.ts';

import { ProtectedRoute } from './protected-route.tsx';

/**
 * A route module's named export as a lazy component: every page is its own chunk, fetched
 * together with the translation namespaces it uses, so it never renders a missing key.
 */
function page<K extends string>(
  load: () => Promise<Record<K, ComponentType>>,
  name: K,
  namespaces: readonly Namespace[] = [],
) {
  return lazy(async () => {
    const [module] = await Promise.all([load(), loadNamespaces(namespaces)]);
    return { default: module[name] };
  });
}

// Each page is its own chunk, so the sign-in screen does not download the CRM behind it; the
// shell (and its query cache) is one chunk loaded only after sign-in.
const SignInRoute = page(() => import('./routes/sign-in.tsx'), 'SignInRoute');
const ForgotPasswordRoute = page(() => import('./routes/forgot-password.tsx'), 'ForgotPasswordRoute');
const ResetPasswordRoute = page(() => import('./routes/reset-password.tsx'), 'ResetPasswordRoute');
const AcceptInviteRoute = page(() => import('./routes/accept-invite.tsx'), 'AcceptInviteRoute');
const UnsubscribeRoute = page(() => import('./routes/unsubscribe.tsx'), 'UnsubscribeRoute', ['consent']);
const NotFoundRoute = page(() => import('./routes/not-found.tsx'), 'NotFoundRoute');
const AppShell = page(() => import('./layout/app-shell.tsx'), 'AppShell', ['shell']);
const DashboardRoute = page(() => import('./routes/dashboard.tsx'), 'DashboardRoute', ['shell', 'dashboard']);
const CustomersRoute = page(() => import('./routes/customers.tsx'), 'CustomersRoute', ['shell', 'customers']);
const CustomerRoute = page(() => import('./routes/customer.tsx'), 'CustomerRoute', ['shell', 'customer', 'orders']);
const OrdersRoute = page(() => import('./routes/orders.tsx'), 'OrdersRoute', ['shell', 'orders']);
const OrderRoute = page(() => import('./routes/order.tsx'), 'OrderRoute', ['shell', 'orders']);
const PipelineRoute = page(() => import('./routes/pipeline.tsx'), 'PipelineRoute', ['shell']);
const SegmentsRoute = page(() => import('./routes/segments.tsx'), 'SegmentsRoute', ['shell']);
const AnalyticsRoute = page(() => import('./routes/analytics.tsx'), 'AnalyticsRoute', ['shell']);
const SettingsRoute = page(() => import('./routes/settings.tsx'), 'SettingsRoute', ['settings']);
const ProfileRoute = page(() => import('./routes/profile.tsx'), 'ProfileRoute', ['settings']);

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
            <Route index element={<DashboardRoute />} />
            <Route path="customers" element={<CustomersRoute />} />
            <Route path="customers/:customerId" element={<CustomerRoute />} />
            <Route path="orders" element={<OrdersRoute />} />
            <Route path="orders/:orderId" element={<OrderRoute />} />
            <Route path="pipeline" element={<PipelineRoute />} />
            <Route path="segments" element={<SegmentsRoute />} />
            <Route path="analytics" element={<AnalyticsRoute />} />
            <Route path="settings/*" element={<SettingsRoute />} />
            <Route path="settings/profile" element={<ProfileRoute />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFoundRoute />} />
      </Routes>
    </Suspense>
  );
}
