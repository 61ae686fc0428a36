import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

import type { WorkspaceInput } from '../schemas/workspace.ts';

export type WorkspaceSettingsRow = Pick<
  Tables<'workspace_settings'>,
  'base_currency' | 'default_language' | 'require_mfa' | 'updated_at'
>;
export type ReferenceItem = { code: string; name: string };

export const workspaceKeys = {
  settings: ['workspace-settings'] as const,
  currencies: ['reference', 'currencies'] as const,
  languages: ['reference', 'languages'] as const,
};

/** The one row of workspace settings (every team member may read it). */
export async function fetchWorkspaceSettings(): Promise<WorkspaceSettingsRow> {
  const { data, error } = await supabase
    .from('workspace_settings')
    .select('base_currency, default_language, require_mfa, updated_at')
    .single();
  if (error) throw error;
  return data;
}

export async function fetchCurrencies(): Promise<ReferenceItem[]> {
  const { data, error } = await supabase.from('currencies').select('code, name').order('code');
  if (error) throw error;
  return data;
}

export async function fetchLanguages(): Promise<ReferenceItem[]> {
  const { data, error } = await supabase.from('languages').select('code, name').order('name');
  if (error) throw error;
  return data;
}

export async function updateWorkspaceSettings(input: WorkspaceInput): Promise<WorkspaceSettingsRow> {
  const { data, error } = await supabase
    .from('workspace_settings')
    .update({
      base_currency: input.baseCurrency,
      default_language: input.defaultLanguage,
      require_mfa: input.requireMfa,
    })
    .eq('id', true)
    .select('base_currency, default_language, require_mfa, updated_at');
  if (error) throw error;
  const [row] = data;
  if (!row) throw Object.assign(new Error('settings not updated'), { code: '42501' });
  return row;
}
