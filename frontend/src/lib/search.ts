/**
 * The longest search the database accepts: search_customers, search_customer_list and
 * search_orders refuse more with 22023 "search is limited to 200 characters"
 * (supabase/migrations/20261207110300_limit_search_input.sql). Search boxes cap their input at
 * it, so the refusal is only ever seen by a caller that bypasses them.
 */
export const MAX_SEARCH_LENGTH = 200;

/** True when the database refused a search because it was too long. */
export function isSearchTooLong(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '22023' && typeof message === 'string' && message.startsWith('search is limited to');
}
