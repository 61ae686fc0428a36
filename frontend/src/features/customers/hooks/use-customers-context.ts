import { createContext, useContext } from 'react';

import type { SelectOption } from '@/components/ui/select-field.tsx';

import type { Viewer } from '../utils/permissions.ts';

/**
 * What the customers screens need from the rest of the app: who is looking (the signed-in
 * member, from the team feature) and the shared time-zone picker options. The route provides
 * both, so this feature never imports another one (style.md).
 */
export interface CustomersEnvironment {
  viewer: Viewer;
  timeZoneOptions: (current: string) => SelectOption[];
}

export const CustomersContext = createContext<CustomersEnvironment | null>(null);

function useEnvironment(): CustomersEnvironment {
  const environment = useContext(CustomersContext);
  if (!environment) throw new Error('The customers screens need a CustomersContext provider (the route)');
  return environment;
}

export const useViewer = () => useEnvironment().viewer;
export const useTimeZoneOptions = () => useEnvironment().timeZoneOptions;
