/**
 * The part of Shopify's search syntax (the `query:` argument of a connection) the emulator
 * answers: `updated_at` and `created_at` terms with a comparator, joined by spaces (an implicit
 * AND), e.g. `updated_at:>'2026-01-01T00:00:00Z' created_at:<=2026-02-01`. Other terms are
 * ignored, as Shopify ignores unknown ones. Times compare to the second, as Shopify stores them.
 */
export interface SearchFilter {
  field: 'updated_at' | 'created_at';
  op: '>' | '>=' | '<' | '<=' | '=';
  value: number;
}

export function parseSearch(search: unknown): SearchFilter[] {
  if (typeof search !== 'string') return [];
  const filters: SearchFilter[] = [];
  for (const match of search.matchAll(/\b(updated_at|created_at):(>=|<=|>|<)?['"]?([0-9T:.+\-Z]+)['"]?/g)) {
    const value = Date.parse(match[3]);
    if (Number.isFinite(value))
      filters.push({ field: match[1] as SearchFilter['field'], op: (match[2] ?? '=') as SearchFilter['op'], value });
  }
  return filters;
}

export function compare(left: number, op: SearchFilter['op'], right: number): boolean {
  const l = Math.floor(left / 1000);
  const r = Math.floor(right / 1000);
  return op === '>' ? l > r : op === '>=' ? l >= r : op === '<' ? l < r : op === '<=' ? l <= r : l === r;
}

/** Whether a record with these times passes every term of `search`. */
export function matchesSearch(search: unknown, times: { updatedMs: number; createdMs: number }): boolean {
  return parseSearch(search).every((f) =>
    compare(f.field === 'updated_at' ? times.updatedMs : times.createdMs, f.op, f.value),
  );
}
