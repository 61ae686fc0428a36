import { useState } from 'react';

/**
 * The rows ticked on the current page. Tied to `listKey` (the URL state): on another page, filter
 * or sort the selection starts empty, so a bulk action never reaches rows no longer on screen.
 */
export function useSelection(listKey: string, rows: ReadonlyArray<{ id: string }>) {
  const [state, setState] = useState<{ key: string; ids: ReadonlySet<string> }>({ key: listKey, ids: new Set() });
  const selected = state.key === listKey ? state.ids : new Set<string>();
  const onPage = rows.filter((row) => selected.has(row.id)).map((row) => row.id);

  return {
    selected,
    /** Selected ids that are still on the page (a refetch may have removed some). */
    ids: onPage,
    toggle: (id: string) => {
      const next = new Set(selected);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      setState({ key: listKey, ids: next });
    },
    setPage: (selectAll: boolean) =>
      setState({ key: listKey, ids: selectAll ? new Set(rows.map((row) => row.id)) : new Set() }),
    clear: () => setState({ key: listKey, ids: new Set() }),
  };
}
