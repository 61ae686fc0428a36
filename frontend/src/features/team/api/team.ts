import { FunctionsHttpError } from '@supabase/supabase-js';
import { queryOptions } from '@tanstack/react-query';

import { teamMemberKeys } from '@/api/team-members.ts';
import type { TeamRole } from '@/lib/permissions.ts';
import { supabase } from '@/lib/supabase.ts';
import type { Database } from '@/types/database.types.ts';

import type { InviteInput } from '../schemas/invite.ts';

/** A row of the team list: the member plus when they were invited and last signed in. */
export type DirectoryMember = Database['public']['Functions']['team_directory']['Returns'][number];

// Under the team's one key root: any change to the team refreshes every list of members.
const directoryKey = [...teamMemberKeys.all, 'directory'] as const;

/** The whole team (a workspace has tens of members, not thousands: one request, no paging). */
export async function fetchTeamDirectory(): Promise<DirectoryMember[]> {
  const { data, error } = await supabase.rpc('team_directory');
  if (error) throw error;
  return data;
}

export const teamDirectoryOptions = () => queryOptions({ queryKey: directoryKey, queryFn: fetchTeamDirectory });

export type MemberChange = { role: TeamRole } | { active: boolean };

/** An admin changes someone's role or access; RLS and the last-admin trigger decide. */
export async function updateMember(userId: string, change: MemberChange): Promise<void> {
  const { data, error } = await supabase.from('team_members').update(change).eq('user_id', userId).select('user_id');
  if (error) throw error;
  // RLS filters an update it refuses down to zero rows rather than failing it.
  if (data.length === 0) throw Object.assign(new Error('member not updated'), { code: '42501' });
}

export type InviteResult = { ok: true; resent: boolean } | { ok: false; code: string };

/**
 * Invites through the invite-member edge function (creating an account needs the service role).
 * The invitation link comes back to this app's /accept-invite.
 */
export async function inviteMember(input: InviteInput): Promise<InviteResult> {
  const { data, error } = await supabase.functions.invoke<{ status: 'invited' | 'resent' }>('invite-member', {
    body: {
      email: input.email,
      full_name: input.fullName,
      role: input.role,
      redirect_to: `${window.location.origin}/accept-invite`,
    },
  });
  if (error instanceof FunctionsHttpError) {
    const body = (await (error.context as Response).json().catch(() => null)) as { error?: { code?: string } } | null;
    return { ok: false, code: body?.error?.code ?? 'internal_error' };
  }
  if (error) throw error;
  return { ok: true, resent: data?.status === 'resent' };
}
