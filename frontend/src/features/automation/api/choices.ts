/**
 * What the flow editor offers to pick from besides the shared lists (team, tags, stages,
 * countries, languages, segments in `src/api`): the email templates a "send template" step may
 * use, and a new tag typed into a tag step. The database still checks every pick when the flow
 * is saved.
 */
import { queryOptions } from '@tanstack/react-query';

import type { ReferenceItem, Stage } from '@/api/reference.ts';
import type { Segment } from '@/api/segments.ts';
import type { Tag } from '@/api/tags.ts';
import type { TeamMemberName } from '@/api/team-members.ts';
import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type FlowTemplate = Pick<Tables<'email_templates'>, 'key' | 'name' | 'purpose'>;

/** The lists the editor's pickers offer: active members, tags, stages, codes, segments, templates. */
export interface FlowChoices {
  members: TeamMemberName[];
  tags: Tag[];
  stages: Stage[];
  countries: ReferenceItem[];
  languages: ReferenceItem[];
  segments: Segment[];
  templates: FlowTemplate[];
}

export const flowChoiceKeys = {
  templates: ['flows', 'templates'] as const,
};

export async function fetchFlowTemplates(): Promise<FlowTemplate[]> {
  const { data, error } = await supabase.from('email_templates').select('key, name, purpose').order('name');
  if (error) throw error;
  return data;
}

export const flowTemplatesOptions = () =>
  queryOptions({ queryKey: flowChoiceKeys.templates, queryFn: fetchFlowTemplates, staleTime: 60_000 });

/** A tag typed into a tag step: created (staff who edit customers may), or the existing one of that name. */
export async function createTag(name: string): Promise<{ id: string; name: string }> {
  const trimmed = name.trim();
  const { data, error } = await supabase.from('tags').insert({ name: trimmed }).select('id, name').single();
  if (!error) return data;
  if (error.code !== '23505') throw error;
  const existing = await supabase.from('tags').select('id, name').ilike('name', trimmed).maybeSingle();
  if (existing.error) throw existing.error;
  if (!existing.data) throw error;
  return existing.data;
}
