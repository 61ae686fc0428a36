import { supabase } from '@/lib/supabase.ts';

import type { CustomFieldInput } from '../schemas/custom-field.ts';

const toRow = (input: CustomFieldInput) => ({
  label: input.label,
  type: input.type,
  options: input.options,
  required: input.required,
  active: input.active,
  position: input.position,
  help_text: input.helpText || null,
});

export async function createCustomField(input: CustomFieldInput): Promise<void> {
  const { error } = await supabase.from('custom_field_definitions').insert({ ...toRow(input), key: input.key });
  if (error) throw error;
}

/** The key is never sent on update: it names the values stored on customers. */
export async function updateCustomField(id: string, input: CustomFieldInput): Promise<void> {
  const { data, error } = await supabase
    .from('custom_field_definitions')
    .update(toRow(input))
    .eq('id', id)
    .select('id');
  if (error) throw error;
  if (data.length === 0) throw Object.assign(new Error('custom field not updated'), { code: '42501' });
}

export async function deleteCustomField(id: string): Promise<void> {
  const { data, error } = await supabase.from('custom_field_definitions').delete().eq('id', id).select('id');
  if (error) throw error;
  if (data.length === 0) throw Object.assign(new Error('custom field not deleted'), { code: '42501' });
}
