import { RouterProvider } from 'react-router-dom';

import { Toaster } from '@/components/ui/toaster.tsx';
import { useSessionSync } from '@/features/auth/hooks/use-session.ts';

import { router } from './router.tsx';

export function App() {
  useSessionSync();
  return (
    <>
      <RouterProvider router={router} />
      <Toaster />
    </>
  );
}
