import { WORKSPACE_COLUMNS, type WorkspaceSettingsRow } from '@/api/workspace.ts';
import { supabase } from '@/lib/supabase.ts';

import type { WorkspaceInput } from '../schemas/workspace.ts';

export async function updateWorkspaceSettings(input: WorkspaceInput): Promise<WorkspaceSettingsRow> {
  const { data, error } = await supabase
    .from('workspace_settings')
    .update({
      base_currency: input.baseCurrency,
      default_language: input.defaultLanguage,
      require_mfa: input.requireMfa,
      postal_address: input.postalAddress || null,
    })
    .eq('id', true)
    .select(WORKSPACE_COLUMNS);
  if (error) throw error;
  const [row] = data;
  if (!row) throw Object.assign(new Error('settings not updated'), { code: '42501' });
  return row;
}
