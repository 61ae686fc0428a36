import { useEffect } from 'react';

/** "Customers · Cairn": the tab says where the person is, and screen readers announce it. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Cairn`;
  }, [title]);
}
