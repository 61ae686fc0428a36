import type { ReactNode } from 'react';

import { Button } from './button.tsx';

/** The part of an infinite query the button reads (TanStack Query's `useInfiniteQuery` result). */
export interface PagedQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

export interface NextPageButtonProps {
  query: PagedQuery;
  pendingLabel: string;
  className?: string;
  children: ReactNode;
}

/** Loads the next page of an infinite query; rendered only while there is one. */
export function NextPageButton({ query, pendingLabel, className, children }: NextPageButtonProps) {
  if (!query.hasNextPage) return null;
  return (
    <Button
      variant="secondary"
      className={className}
      pending={query.isFetchingNextPage}
      pendingLabel={pendingLabel}
      onClick={() => void query.fetchNextPage()}
    >
      {children}
    </Button>
  );
}
