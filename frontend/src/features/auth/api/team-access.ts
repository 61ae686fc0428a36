import { supabase } from '@/lib/supabase.ts';

import type { AuthResult } from './password.ts';

/** What the database says the signed-in person may still have to do before using the CRM. */
export interface TeamAccess {
  /** `none`: not on the team; `pending`: invited, not accepted yet; `inactive`: deactivated. */
  state: 'none' | 'pending' | 'inactive' | 'active';
  /** The workspace requires two-step verification of everyone (an admin's setting). */
  mfaRequired: boolean;
  hasVerifiedFactor: boolean;
}

const STATES = new Set<TeamAccess['state']>(['none', 'pending', 'inactive', 'active']);

/**
 * The caller's own access state (`my_team_access()`), readable at any assurance level because it
 * grants nothing: the database enforces the rules, this only tells the app which step to show.
 * Null when it cannot be read (offline): the app then behaves as before and the API still refuses.
 */
export async function fetchTeamAccess(): Promise<TeamAccess | null> {
  const { data, error } = await supabase.rpc('my_team_access').maybeSingle();
  if (error || !data) return null;
  const state = STATES.has(data.state as TeamAccess['state']) ? (data.state as TeamAccess['state']) : 'none';
  return { state, mfaRequired: data.mfa_required, hasVerifiedFactor: data.has_verified_factor };
}

/**
 * Accepts the invitation of the signed-in person. The database checks that this session came
 * from the invitation email and that they set their own password first.
 */
export async function acceptInvitation(): Promise<AuthResult> {
  const { error } = await supabase.rpc('accept_team_invitation');
  return error ? { ok: false, messageKey: 'auth:acceptInvite.failed' } : { ok: true };
}
