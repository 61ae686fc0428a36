/**
 * The team: the signed-in member's own row and everyone's names for pickers and labels. One key
 * root (`teamMemberKeys.all`); every change to the team (invite, role, access, own profile)
 * invalidates it, so every screen that names a member sees the change.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type TeamMember = Pick<
  Tables<'team_members'>,
  'user_id' | 'email' | 'full_name' | 'avatar_url' | 'role' | 'timezone' | 'language' | 'active'
>;
/** A member as pickers and labels show them (owner filter, task assignee, timeline author). */
export type TeamMemberName = Pick<Tables<'team_members'>, 'user_id' | 'full_name' | 'role' | 'active'>;

export const MEMBER_COLUMNS = 'user_id, email, full_name, avatar_url, role, timezone, language, active';

export const teamMemberKeys = {
  all: ['team-members'] as const,
  one: (userId: string) => ['team-members', 'one', userId] as const,
  names: ['team-members', 'names'] as const,
};

/** The signed-in person's own row, or null when they are not on the team (RLS hides the rest). */
export async function fetchMember(userId: string): Promise<TeamMember | null> {
  const { data, error } = await supabase
    .from('team_members')
    .select(MEMBER_COLUMNS)
    .eq('user_id', userId)
    .maybeSingle();
  if (error) throw error;
  return data;
}

export async function fetchTeamMemberNames(): Promise<TeamMemberName[]> {
  const { data, error } = await supabase
    .from('team_members')
    .select('user_id, full_name, role, active')
    .order('full_name');
  if (error) throw error;
  return data;
}

export const memberOptions = (userId: string) =>
  queryOptions({ queryKey: teamMemberKeys.one(userId), queryFn: () => fetchMember(userId) });

/** Everyone on the team (tens of people: one request); everyone on the team may read it. */
export const teamMemberNamesOptions = () =>
  queryOptions({ queryKey: teamMemberKeys.names, queryFn: fetchTeamMemberNames, staleTime: 5 * 60_000 });
