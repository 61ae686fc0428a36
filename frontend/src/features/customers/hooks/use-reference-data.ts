import { useQueries, useQuery, type UseQueryResult } from '@tanstack/react-query';

import { customFieldsOptions, type CustomFieldDefinition } from '@/api/custom-fields.ts';
import {
  countriesOptions,
  currenciesOptions,
  languagesOptions,
  stagesOptions,
  type ReferenceItem,
  type Stage,
} from '@/api/reference.ts';
import { tagsOptions, type Tag } from '@/api/tags.ts';
import { teamMemberNamesOptions, type TeamMemberName } from '@/api/team-members.ts';
import { baseCurrencyOptions } from '@/api/workspace.ts';

/** What the list's filters, bulk bar and form choose from: the shared lists, each under its own key. */
export interface ReferenceData {
  countries: ReferenceItem[];
  currencies: ReferenceItem[];
  languages: ReferenceItem[];
  stages: Stage[];
  tags: Tag[];
  team: TeamMemberName[];
  customFields: CustomFieldDefinition[];
}

const FIELDS = ['countries', 'currencies', 'languages', 'stages', 'tags', 'team', 'customFields'] as const;

/** Module-level, so TanStack Query keeps the combined object while the results are unchanged. */
function combine(results: UseQueryResult<unknown>[]) {
  const ready = results.every((result) => result.data !== undefined);
  return {
    data: ready
      ? (Object.fromEntries(FIELDS.map((field, index) => [field, results[index]?.data])) as unknown as ReferenceData)
      : undefined,
    isError: results.some((result) => result.isError),
    refetch: () => Promise.all(results.map((result) => result.refetch())),
  };
}

/**
 * The shared lists, read through their one query each (src/api), so a tag, field or member made
 * elsewhere shows here as soon as its writer invalidates it. `data` once all have arrived.
 */
export function useReferenceData() {
  return useQueries({
    queries: [
      countriesOptions(),
      currenciesOptions(),
      languagesOptions(),
      stagesOptions(),
      tagsOptions(),
      teamMemberNamesOptions(),
      customFieldsOptions(),
    ],
    combine,
  });
}

export function useBaseCurrency() {
  return useQuery(baseCurrencyOptions());
}
