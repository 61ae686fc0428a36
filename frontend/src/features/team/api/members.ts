import { MEMBER_COLUMNS, type TeamMember } from '@/api/team-members.ts';
import { supabase } from '@/lib/supabase.ts';

import type { ProfileInput } from '../schemas/profile.ts';

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
