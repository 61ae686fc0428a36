/**
 * Settings → Privacy & retention: the admins' retention periods and the shop's erasure rule
 * (columns of workspace_settings; admins change them, RLS), and what the daily purge did
 * (retention_overview, admins only). Saving invalidates the workspace root too, since the row is
 * shared with the workspace settings.
 */
import { queryOptions } from '@tanstack/react-query';

import { workspaceKeys } from '@/api/workspace.ts';
import { supabase } from '@/lib/supabase.ts';
import type { Database, Tables } from '@/types/database.types.ts';

export const RETENTION_KINDS = [
  'alert_log',
  'email_events',
  'notifications',
  'webhook_deliveries',
  'audit_log',
  'export_log',
  'privacy_requests',
] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** The workspace_settings column of each kind's period. */
export const RETENTION_COLUMN = {
  alert_log: 'alert_log_retention_days',
  email_events: 'email_event_retention_days',
  notifications: 'notification_retention_days',
  webhook_deliveries: 'webhook_payload_retention_days',
  audit_log: 'audit_log_retention_days',
  export_log: 'export_log_retention_days',
  privacy_requests: 'privacy_request_retention_days',
} as const satisfies Record<RetentionKind, keyof Tables<'workspace_settings'>>;

/** The bounds the database's check constraints set (20261208141000, 20261207150200). */
export const RETENTION_BOUNDS: Record<RetentionKind, { min: number; max: number }> = {
  alert_log: { min: 90, max: 3650 },
  email_events: { min: 30, max: 3650 },
  notifications: { min: 7, max: 3650 },
  webhook_deliveries: { min: 7, max: 365 },
  audit_log: { min: 365, max: 3650 },
  export_log: { min: 365, max: 3650 },
  privacy_requests: { min: 365, max: 3650 },
};

type Column = (typeof RETENTION_COLUMN)[RetentionKind];
export type RetentionSettingsRow = Pick<Tables<'workspace_settings'>, Column | 'erasure_waits_for_open_orders'>;
export type RetentionOverviewRow = Database['public']['Functions']['retention_overview']['Returns'][number];

const COLUMNS = [...Object.values(RETENTION_COLUMN), 'erasure_waits_for_open_orders'].join(', ');

export const retentionKeys = {
  all: ['retention'] as const,
  settings: ['retention', 'settings'] as const,
  overview: ['retention', 'overview'] as const,
};

export async function fetchRetentionSettings(): Promise<RetentionSettingsRow> {
  const { data, error } = await supabase.from('workspace_settings').select(COLUMNS).single();
  if (error) throw error;
  return data as unknown as RetentionSettingsRow;
}

export async function fetchRetentionOverview(): Promise<RetentionOverviewRow[]> {
  const { data, error } = await supabase.rpc('retention_overview');
  if (error) throw error;
  return data;
}

export const retentionSettingsOptions = () =>
  queryOptions({ queryKey: retentionKeys.settings, queryFn: fetchRetentionSettings });
export const retentionOverviewOptions = () =>
  queryOptions({ queryKey: retentionKeys.overview, queryFn: fetchRetentionOverview });

/** Thrown when the database changed no row: the caller is not an admin (RLS). */
export class RetentionNotAllowedError extends Error {
  constructor() {
    super('not_allowed');
  }
}

export async function updateRetentionSettings(values: RetentionSettingsRow): Promise<void> {
  const { data, error } = await supabase.from('workspace_settings').update(values).eq('id', true).select('id');
  if (error) throw error;
  if (data.length === 0) throw new RetentionNotAllowedError();
}

export const retentionInvalidates = [retentionKeys.all, workspaceKeys.all];
