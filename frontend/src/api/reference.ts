/**
 * Reference lists: countries, currencies, languages (ISO lists that change only with a
 * migration) and the lifecycle stages. One key root (`referenceKeys.all`).
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

export type ReferenceItem = { code: string; name: string };
export type Stage = Pick<Tables<'lifecycle_stages'>, 'key' | 'label' | 'position'>;

export const referenceKeys = {
  all: ['reference'] as const,
  countries: ['reference', 'countries'] as const,
  currencies: ['reference', 'currencies'] as const,
  languages: ['reference', 'languages'] as const,
  stages: ['reference', 'lifecycle-stages'] as const,
};

// ISO lists change only with a migration: keep them for the whole session.
const SESSION = { staleTime: Infinity, gcTime: Infinity } as const;

export async function fetchCountries(): Promise<ReferenceItem[]> {
  const { data, error } = await supabase.from('countries').select('code, name').order('name');
  if (error) throw error;
  return data;
}

export async function fetchCurrencies(): Promise<ReferenceItem[]> {
  const { data, error } = await supabase.from('currencies').select('code, name').order('code');
  if (error) throw error;
  return data;
}

export async function fetchLanguages(): Promise<ReferenceItem[]> {
  const { data, error } = await supabase.from('languages').select('code, name').order('name');
  if (error) throw error;
  return data;
}

export async function fetchStages(): Promise<Stage[]> {
  const { data, error } = await supabase.from('lifecycle_stages').select('key, label, position').order('position');
  if (error) throw error;
  return data;
}

export const countriesOptions = () =>
  queryOptions({ queryKey: referenceKeys.countries, queryFn: fetchCountries, ...SESSION });
export const currenciesOptions = () =>
  queryOptions({ queryKey: referenceKeys.currencies, queryFn: fetchCurrencies, ...SESSION });
export const languagesOptions = () =>
  queryOptions({ queryKey: referenceKeys.languages, queryFn: fetchLanguages, ...SESSION });
export const stagesOptions = () =>
  queryOptions({ queryKey: referenceKeys.stages, queryFn: fetchStages, staleTime: 10 * 60_000 });
