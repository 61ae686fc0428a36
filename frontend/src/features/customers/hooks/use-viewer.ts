import { createContext, useContext } from 'react';

import type { Viewer } from '../utils/permissions.ts';

/**
 * Who is looking at the list. The route reads the signed-in member (from the team feature) and
 * provides it, so this feature never imports another one.
 */
export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer needs a ViewerContext provider (the customers route)');
  return viewer;
}
