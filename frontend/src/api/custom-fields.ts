/**
 * Custom field definitions (what the customer form asks, what the 360 shows). One key root
 * (`customFieldKeys.all`), written only by Settings, which invalidates it.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Database, Tables } from '@/types/database.types.ts';

export type CustomFieldType = Database['public']['Enums']['custom_field_type'];
export type CustomFieldDefinition = Pick<
  Tables<'custom_field_definitions'>,
  'id' | 'key' | 'label' | 'type' | 'options' | 'required' | 'position' | 'active' | 'help_text'
>;

export const customFieldKeys = {
  all: ['custom-field-definitions'] as const,
  list: ['custom-field-definitions', 'list'] as const,
};

/** Every definition, archived ones included, in form order. */
export async function fetchCustomFields(): Promise<CustomFieldDefinition[]> {
  const { data, error } = await supabase
    .from('custom_field_definitions')
    .select('id, key, label, type, options, required, position, active, help_text')
    .order('position')
    .order('label');
  if (error) throw error;
  return data;
}

export const customFieldsOptions = () =>
  queryOptions({ queryKey: customFieldKeys.list, queryFn: fetchCustomFields, staleTime: 5 * 60_000 });
