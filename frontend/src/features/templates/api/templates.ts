import { FunctionsHttpError } from '@supabase/supabase-js';
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Database } from '@/types/database.types.ts';

export type EmailPurpose = Database['public']['Enums']['email_purpose'];
export const PURPOSES: readonly EmailPurpose[] = ['transactional', 'marketing', 'alert'];

export const templateKeys = {
  all: ['templates'] as const,
  list: () => [...templateKeys.all, 'list'] as const,
  one: (id: string) => [...templateKeys.all, 'one', id] as const,
  variables: () => [...templateKeys.all, 'variables'] as const,
  languages: () => [...templateKeys.all, 'customer-languages'] as const,
  customer: (email: string) => [...templateKeys.all, 'customer', email] as const,
};

export async function fetchTemplateList() {
  const { data, error } = await supabase
    .from('email_templates')
    .select('id, key, name, purpose, category')
    .order('name')
    .limit(200);
  if (error) throw error;
  return data;
}

export async function fetchTemplate(id: string) {
  const { data, error } = await supabase
    .from('email_templates')
    .select(
      `id, key, name, purpose, category, description,
       variants:email_template_variants(id, language, subject, body_html, body_text, version, updated_at),
       versions:email_template_versions(id, language, version, created_at)`,
    )
    .eq('id', id)
    .order('language', { referencedTable: 'email_template_variants' })
    .order('version', { referencedTable: 'email_template_versions', ascending: false })
    .limit(50, { referencedTable: 'email_template_versions' })
    .maybeSingle();
  if (error) throw error;
  return data;
}
export type Template = NonNullable<Awaited<ReturnType<typeof fetchTemplate>>>;
export type Variant = Template['variants'][number];

export async function fetchVariables() {
  const { data, error } = await supabase
    .from('email_template_variables')
    .select('name, description, example')
    .order('name');
  if (error) throw error;
  return data;
}

export async function fetchCustomerLanguages() {
  const { data, error } = await supabase.rpc('customer_languages');
  if (error) throw error;
  return data.map((row) => ({ language: row.language, customers: Number(row.customers) }));
}

/** A customer to preview against, by email (as the member sees customers). */
export async function fetchPreviewCustomer(email: string) {
  const { data, error } = await supabase
    .from('customers')
    .select('id, first_name, last_name, full_name, email, company, language')
    .ilike(
      'email',
      email.replace(/[\\%_]/g, (char) => `\\${char}`),
    )
    .limit(1);
  if (error) throw error;
  return data[0] ?? null;
}

export const templateListOptions = () => queryOptions({ queryKey: templateKeys.list(), queryFn: fetchTemplateList });
export const templateOptions = (id: string) =>
  queryOptions({ queryKey: templateKeys.one(id), queryFn: () => fetchTemplate(id) });
export const variablesOptions = () =>
  queryOptions({ queryKey: templateKeys.variables(), queryFn: fetchVariables, staleTime: 10 * 60_000 });
export const customerLanguagesOptions = () =>
  queryOptions({ queryKey: templateKeys.languages(), queryFn: fetchCustomerLanguages });
export const previewCustomerOptions = (email: string) =>
  queryOptions({ queryKey: templateKeys.customer(email), queryFn: () => fetchPreviewCustomer(email) });

export async function createTemplate(input: { key: string; name: string; purpose: EmailPurpose }): Promise<string> {
  const id = crypto.randomUUID();
  const { error } = await supabase
    .from('email_templates')
    .insert({ id, key: input.key, name: input.name, purpose: input.purpose, category: input.purpose });
  if (error) throw error;
  const variant = await supabase.from('email_template_variants').insert({
    template_id: id,
    language: 'en',
    subject: input.name,
    body_text: 'Hello {{first_name}},\n\n{{agent_name}}',
    body_html: '<p>Hello {{first_name}},</p><p>{{agent_name}}</p>',
  });
  if (variant.error) throw variant.error;
  return id;
}

export async function updateTemplate(id: string, input: { name: string; purpose: EmailPurpose }): Promise<void> {
  const { error } = await supabase.from('email_templates').update(input).eq('id', id);
  if (error) throw error;
}

export interface VariantInput {
  language: string;
  subject: string;
  body_text: string;
  body_html: string;
}

/** Saves a variant (new or changed); the database numbers and keeps the version. */
export async function saveVariant(templateId: string, input: VariantInput, id?: string): Promise<void> {
  const { error } = id
    ? await supabase
        .from('email_template_variants')
        .update({ subject: input.subject, body_text: input.body_text, body_html: input.body_html })
        .eq('id', id)
    : await supabase.from('email_template_variants').insert({ template_id: templateId, ...input });
  if (error) throw error;
}

/** A test send of the saved template to the member's own address, in one language. */
export async function testSend(templateKey: string, email: string, language: string): Promise<void> {
  const { error } = await supabase.functions.invoke('send-email', {
    body: { template_key: templateKey, to: { email }, language },
  });
  if (error instanceof FunctionsHttpError) {
    const body = (await error.context.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? error.message);
  }
  if (error) throw error;
}
