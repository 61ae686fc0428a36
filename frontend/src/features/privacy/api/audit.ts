/**
 * Settings → Audit log (admins): pages of the audit log from audit_entries (the database refuses
 * anyone else, 42501), newest first with keyset paging, and the latest exports from export_log.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { addDays } from 'date-fns';
import { fromZonedTime } from 'date-fns-tz';

import { supabase } from '@/lib/supabase.ts';
import type { Database, Tables } from '@/types/database.types.ts';

export type AuditEntry = Database['public']['Functions']['audit_entries']['Returns'][number];

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_ACTIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;

/** The viewer's filters: days are calendar dates in the viewer's zone ("2026-12-07"). */
export interface AuditFilters {
  actor: string;
  action: '' | (typeof AUDIT_ACTIONS)[number];
  table: string;
  customer: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { actor: '', action: '', table: '', customer: '', from: '', to: '' };

export const auditKeys = {
  all: ['audit'] as const,
  entries: (filters: AuditFilters, timeZone: string) => ['audit', 'entries', filters, timeZone] as const,
  exports: ['audit', 'exports'] as const,
};

/** The RPC's arguments: [from, to] as whole days in the viewer's zone, `to` included. */
export function auditArguments(filters: AuditFilters, timeZone: string, beforeId: number | null) {
  return {
    actor: filters.actor || undefined,
    action_filter: filters.action || undefined,
    table_filter: filters.table.trim() || undefined,
    customer: filters.customer || undefined,
    since: filters.from ? fromZonedTime(`${filters.from}T00:00:00`, timeZone).toISOString() : undefined,
    until: filters.to ? addDays(fromZonedTime(`${filters.to}T00:00:00`, timeZone), 1).toISOString() : undefined,
    before_id: beforeId ?? undefined,
    page_size: AUDIT_PAGE_SIZE,
  };
}

export async function fetchAuditEntries(
  filters: AuditFilters,
  timeZone: string,
  beforeId: number | null,
): Promise<AuditEntry[]> {
  const { data, error } = await supabase.rpc('audit_entries', auditArguments(filters, timeZone, beforeId));
  if (error) throw error;
  return data;
}

export const auditEntriesOptions = (filters: AuditFilters, timeZone: string) =>
  infiniteQueryOptions({
    queryKey: auditKeys.entries(filters, timeZone),
    queryFn: ({ pageParam }) => fetchAuditEntries(filters, timeZone, pageParam),
    initialPageParam: null as number | null,
    getNextPageParam: (page: AuditEntry[]) =>
      page.length === AUDIT_PAGE_SIZE ? (page[page.length - 1]?.id ?? undefined) : undefined,
  });

export type ExportEntry = Pick<Tables<'export_log'>, 'id' | 'exported_at' | 'kind' | 'row_count' | 'filters'> & {
  actor: Pick<Tables<'team_members'>, 'full_name'> | null;
};

/** The latest 20 exports (admins read export_log by its policy). */
export async function fetchExports(): Promise<ExportEntry[]> {
  const { data, error } = await supabase
    .from('export_log')
    .select('id, exported_at, kind, row_count, filters, actor:team_members(full_name)')
    .order('exported_at', { ascending: false })
    .limit(20);
  if (error) throw error;
  return data;
}

export const exportsOptions = () => queryOptions({ queryKey: auditKeys.exports, queryFn: fetchExports });
