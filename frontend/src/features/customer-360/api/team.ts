import { supabase } from '@/lib/supabase.ts';

export const teamKeys = {
  all: ['customer-360', 'team'] as const,
};

/** The team, to name authors on the timeline and to offer task assignees. Everyone on the team reads it. */
export async function fetchTeam() {
  const { data, error } = await supabase
    .from('team_members')
    .select('user_id, full_name, role, active')
    .order('full_name');
  if (error) throw error;
  return data;
}

export type TeamMemberName = Awaited<ReturnType<typeof fetchTeam>>[number];
