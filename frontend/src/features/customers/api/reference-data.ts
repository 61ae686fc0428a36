/**
 * What the list's filters and the customer form choose from: reference tables, stages, tags, the
 * team, custom field definitions and the base currency. Small, rarely changing lists, cached
 * for the session (ADR 0003: staleTime) and shared by every screen of the feature.
 */
import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type Country = Pick<Tables<'countries'>, 'code' | 'name'>;
export type Currency = Pick<Tables<'currencies'>, 'code' | 'name'>;
export type LanguageRow = Pick<Tables<'languages'>, 'code' | 'name'>;
export type Stage = Pick<Tables<'lifecycle_stages'>, 'key' | 'label' | 'position'>;
export type Tag = Pick<Tables<'tags'>, 'id' | 'name' | 'colour'>;
export type TeamMemberOption = Pick<Tables<'team_members'>, 'user_id' | 'full_name' | 'role' | 'active'>;
export type CustomFieldDefinition = Pick<
  Tables<'custom_field_definitions'>,
  'key' | 'label' | 'type' | 'options' | 'required' | 'help_text' | 'position' | 'active'
>;

export interface ReferenceData {
  countries: Country[];
  currencies: Currency[];
  languages: LanguageRow[];
  stages: Stage[];
  tags: Tag[];
  team: TeamMemberOption[];
  customFields: CustomFieldDefinition[];
}

export const referenceKeys = {
  all: ['customers', 'reference'] as const,
  baseCurrency: ['customers', 'reference', 'base-currency'] as const,
};

function must<T>({ data, error }: { data: T | null; error: unknown }): T {
  if (error) throw error;
  return data as T;
}

export async function fetchReferenceData(): Promise<ReferenceData> {
  const [countries, currencies, languages, stages, tags, team, customFields] = await Promise.all([
    supabase.from('countries').select('code, name').order('name'),
    supabase.from('currencies').select('code, name').order('code'),
    supabase.from('languages').select('code, name').order('name'),
    supabase.from('lifecycle_stages').select('key, label, position').order('position'),
    supabase.from('tags').select('id, name, colour').order('name'),
    supabase.from('team_members').select('user_id, full_name, role, active').order('full_name'),
    supabase
      .from('custom_field_definitions')
      .select('key, label, type, options, required, help_text, position, active')
      .order('position')
      .order('label'),
  ]);
  return {
    countries: must(countries),
    currencies: must(currencies),
    languages: must(languages),
    stages: must(stages),
    tags: must(tags),
    team: must(team),
    customFields: must(customFields),
  };
}

/**
 * The currency lifetime values are kept in. Its own small request, so the table does not wait
 * for the filters' lists (the browser opens only six connections to the API at a time).
 */
export async function fetchBaseCurrency(): Promise<string> {
  const { data, error } = await supabase.from('workspace_settings').select('base_currency').single();
  if (error) throw error;
  return data.base_currency;
}
