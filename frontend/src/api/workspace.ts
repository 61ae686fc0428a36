/**
 * The one row of workspace settings (every team member may read it). One key root
 * (`workspaceKeys.all`); saving the settings invalidates every query, since amounts everywhere
 * are shown in the base currency.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type WorkspaceSettingsRow = Pick<
  Tables<'workspace_settings'>,
  'base_currency' | 'default_language' | 'require_mfa' | 'postal_address' | 'updated_at'
>;

export const WORKSPACE_COLUMNS = 'base_currency, default_language, require_mfa, postal_address, updated_at';

export const workspaceKeys = {
  all: ['workspace'] as const,
  settings: ['workspace', 'settings'] as const,
  baseCurrency: ['workspace', 'base-currency'] as const,
};

export async function fetchWorkspaceSettings(): Promise<WorkspaceSettingsRow> {
  const { data, error } = await supabase.from('workspace_settings').select(WORKSPACE_COLUMNS).single();
  if (error) throw error;
  return data;
}

/**
 * The currency lifetime values and every `*_base` amount are kept in. Its own small request, so
 * a list does not wait on the settings row (the browser opens only six connections at a time).
 */
export async function fetchBaseCurrency(): Promise<string> {
  const { data, error } = await supabase.from('workspace_settings').select('base_currency').single();
  if (error) throw error;
  return data.base_currency;
}

export const workspaceSettingsOptions = () =>
  queryOptions({ queryKey: workspaceKeys.settings, queryFn: fetchWorkspaceSettings });

export const baseCurrencyOptions = () =>
  queryOptions({ queryKey: workspaceKeys.baseCurrency, queryFn: fetchBaseCurrency, staleTime: 10 * 60_000 });
