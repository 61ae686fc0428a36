/** CSV export of customers, logged in export_log as its policies require of every export. */
import { supabase } from '@/lib/supabase.ts';
import type { Json } from '@/types/database.types.ts';

export const EXPORT_KIND = 'customers_csv';

/**
 * Written before the file is handed over: an export the log refused is not an export anyone
 * gets. actor_id defaults to the signed-in person (the policy checks it is them).
 */
export async function logExport(filters: Record<string, Json>, rowCount: number): Promise<void> {
  const { error } = await supabase.from('export_log').insert({ kind: EXPORT_KIND, filters, row_count: rowCount });
  if (error) throw error;
}
