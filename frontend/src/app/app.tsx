import { BrowserRouter } from 'react-router-dom';

import { Toaster } from '@/components/ui/toaster.tsx';
import { useSessionSync } from '@/features/auth/hooks/use-session.ts';

import { AppRoutes } from './router.tsx';

export function App() {
  useSessionSync();
  return (
    <>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
      <Toaster />
    </>
  );
}
