import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

import type { ProfileInput } from '../schemas/profile.ts';

export type TeamMember = Pick<
  Tables<'team_members'>,
  'user_id' | 'email' | 'full_name' | 'avatar_url' | 'role' | 'timezone' | 'language' | 'active'
>;

const MEMBER_COLUMNS = 'user_id, email, full_name, avatar_url, role, timezone, language, active';

export const memberKeys = {
  all: ['team-members'] as const,
  one: (userId: string) => ['team-members', userId] as const,
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

/**
 * Saves what a member may change about themselves (RLS and a trigger stop anything else).
 * `Partial` so the user menu can save just the language or the time zone.
 */
export async function updateOwnProfile(userId: string, input: Partial<ProfileInput>): Promise<TeamMember> {
  const changes = {
    ...(input.fullName !== undefined ? { full_name: input.fullName } : {}),
    ...(input.language !== undefined ? { language: input.language } : {}),
    ...(input.timeZone !== undefined ? { timezone: input.timeZone } : {}),
  };
  const { data, error } = await supabase
    .from('team_members')
    .update(changes)
    .eq('user_id', userId)
    .select(MEMBER_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}
