import { lazy, Suspense } from 'react';
import { createBrowserRouter, Outlet } from 'react-router-dom';

import { Loading } from '@/components/ui/loading.tsx';

import { ProtectedRoute } from './protected-route.tsx';

// Each page is its own chunk, so the sign-in screen does not download the CRM behind it.
const SignInRoute = lazy(() => import('./routes/sign-in.tsx').then((m) => ({ default: m.SignInRoute })));
const HomeRoute = lazy(() => import('./routes/home.tsx').then((m) => ({ default: m.HomeRoute })));
const NotFoundRoute = lazy(() => import('./routes/not-found.tsx').then((m) => ({ default: m.NotFoundRoute })));

function RootLayout() {
  return (
    <Suspense fallback={<Loading />}>
      <Outlet />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  {
    element: <RootLayout />,
    children: [
      { path: '/sign-in', element: <SignInRoute /> },
      {
        element: <ProtectedRoute />,
        children: [{ index: true, element: <HomeRoute /> }],
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
]);
