/**
 * Keyset ("seek") pagination for the customers list: every sort orders by one column, then by id
 * as the tie-breaker, and a page is "the rows after (value, id)". Unlike offset paging it costs the
 * same on page 1 and page 2 000, and rows added meanwhile never shift a page.
 *
 * Each sort's base order matches an index on customers exactly (direction and null placement), so
 * Postgres walks the index forwards, or backwards for the reverse order, and stops after one page.
 */
import type { Cursor, SortDirection, SortKey } from './list-params.ts';

export type SortColumn = 'full_name' | 'lifetime_value' | 'order_count' | 'last_order_at' | 'created_at';

export interface OrderTerm {
  column: SortColumn | 'id';
  ascending: boolean;
  nullsFirst: boolean;
}

interface SortSpec {
  column: SortColumn;
  /** The order of the index that serves this sort (the reverse is its backward scan). */
  base: { ascending: boolean; nullsFirst: boolean; idAscending: boolean };
}

// customers_name_sort_idx (full_name nulls last, id), customers_ltv_idx (lifetime_value desc, id),
// customers_order_count_sort_idx, customers_last_order_sort_idx (… desc nulls last, id),
// customers_created_idx (created_at desc, id). `desc` puts nulls first unless told otherwise.
export const SORTS: Record<SortKey, SortSpec> = {
  name: { column: 'full_name', base: { ascending: true, nullsFirst: false, idAscending: true } },
  ltv: { column: 'lifetime_value', base: { ascending: false, nullsFirst: true, idAscending: true } },
  orders: { column: 'order_count', base: { ascending: false, nullsFirst: true, idAscending: true } },
  last_order: { column: 'last_order_at', base: { ascending: false, nullsFirst: false, idAscending: true } },
  created: { column: 'created_at', base: { ascending: false, nullsFirst: true, idAscending: true } },
};

export function sortColumn(sort: SortKey): SortColumn {
  return SORTS[sort].column;
}

/** The ORDER BY for a sort and direction: the index's order, or exactly its reverse. */
export function orderTerms(sort: SortKey, direction: SortDirection): [OrderTerm, OrderTerm] {
  const { column, base } = SORTS[sort];
  const reversed = (direction === 'asc') !== base.ascending;
  const flip = (value: boolean) => (reversed ? !value : value);
  return [
    { column, ascending: flip(base.ascending), nullsFirst: flip(base.nullsFirst) },
    { column: 'id', ascending: flip(base.idAscending), nullsFirst: flip(!base.idAscending) },
  ];
}

export function reverseTerms(terms: [OrderTerm, OrderTerm]): [OrderTerm, OrderTerm] {
  return terms.map((term) => ({ ...term, ascending: !term.ascending, nullsFirst: !term.nullsFirst })) as [
    OrderTerm,
    OrderTerm,
  ];
}

/** A PostgREST literal, quoted so commas, dots, colons and parentheses in values are taken as-is. */
function literal(value: string | number): string {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The PostgREST logic tree (for `.or()`) of the rows that come after `cursor` in `terms` order.
 * Nulls sort as one block before or after every value, so they need their own branches.
 */
export function afterCursorFilter([main, tie]: [OrderTerm, OrderTerm], cursor: Cursor): string {
  const idAfter = `id.${tie.ascending ? 'gt' : 'lt'}.${literal(cursor.id)}`;
  const { column } = main;
  if (cursor.value === null) {
    // Inside the null block: later nulls by id, then (nulls first) every non-null value.
    const branches = [`and(${column}.is.null,${idAfter})`];
    if (main.nullsFirst) branches.push(`${column}.not.is.null`);
    return branches.join(',');
  }
  const value = literal(cursor.value);
  const branches = [`${column}.${main.ascending ? 'gt' : 'lt'}.${value}`, `and(${column}.eq.${value},${idAfter})`];
  if (!main.nullsFirst) branches.push(`${column}.is.null`);
  return branches.join(',');
}
