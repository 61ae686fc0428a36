import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';

import { segmentsOptions } from '@/api/segments.ts';
import { SelectField, type SelectOption } from '@/components/ui/select-field.tsx';

import type { ReferenceData } from '../hooks/use-reference-data.ts';
import { useDisplay } from '../hooks/use-display.ts';
import { CONSENT_FILTERS, CUSTOMER_STATUSES, type ListFilters } from '../utils/list-params.ts';

export interface CustomerFiltersProps {
  filters: ListFilters;
  /** Undefined while loading: the selects are shown disabled, so the page does not jump. */
  reference: ReferenceData | undefined;
  /** Agents only ever see their own customers, so the owner filter would be noise for them. */
  showOwner: boolean;
  onChange: (changes: Partial<ListFilters>) => void;
}

/** One native select per filter: keyboard, type-ahead and phone pickers work without extra code. */
const LOADING: Pick<ReferenceData, 'countries' | 'stages' | 'tags' | 'team'> = {
  countries: [],
  stages: [],
  tags: [],
  team: [],
};

export function CustomerFilters({ filters, reference: loaded, showOwner, onChange }: CustomerFiltersProps) {
  const reference = loaded ?? LOADING;
  const { t } = useTranslation('customers');
  const show = useDisplay();
  const segments = useQuery(segmentsOptions());
  const any: SelectOption = { value: '', label: t('filters.any') };
  const set = (key: keyof ListFilters) => (event: React.ChangeEvent<HTMLSelectElement>) =>
    onChange({ [key]: event.currentTarget.value || undefined });

  const countries = reference.countries
    .map((country) => ({ value: country.code, label: show.country(country.code, country.name) }))
    .sort((a, b) => a.label.localeCompare(b.label));

  return (
    <fieldset className="customers-filters" disabled={!loaded}>
      <legend className="visually-hidden">{t('filters.legend')}</legend>
      <SelectField
        label={t('filters.status')}
        value={filters.status ?? ''}
        onChange={set('status')}
        options={[any, ...CUSTOMER_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))]}
      />
      <SelectField
        label={t('filters.stage')}
        value={filters.stage ?? ''}
        onChange={set('stage')}
        options={[
          any,
          ...reference.stages.map((stage) => ({ value: stage.key, label: show.stage(stage.key, stage.label) })),
        ]}
      />
      <SelectField
        label={t('filters.country')}
        value={filters.country ?? ''}
        onChange={set('country')}
        options={[any, ...countries]}
      />
      <SelectField
        label={t('filters.tag')}
        value={filters.tag ?? ''}
        onChange={set('tag')}
        options={[any, ...reference.tags.map((tag) => ({ value: tag.id, label: tag.name }))]}
      />
      {showOwner ? (
        <SelectField
          label={t('filters.owner')}
          value={filters.owner ?? ''}
          onChange={set('owner')}
          options={[
            any,
            { value: 'none', label: t('filters.unassigned') },
            ...reference.team.map((member) => ({ value: member.user_id, label: member.full_name })),
          ]}
        />
      ) : null}
      <SelectField
        label={t('filters.consent')}
        value={filters.consent ?? ''}
        onChange={set('consent')}
        options={[any, ...CONSENT_FILTERS.map((consent) => ({ value: consent, label: t(`consent.${consent}`) }))]}
      />
      <SelectField
        label={t('filters.segment')}
        value={filters.segment ?? ''}
        onChange={set('segment')}
        options={[
          any,
          ...(segments.data ?? []).map((segment) => ({ value: segment.id, label: segment.name })),
          // A link to a segment the list of segments does not (yet) hold still shows as chosen.
          ...(filters.segment && !segments.data?.some((segment) => segment.id === filters.segment)
            ? [{ value: filters.segment, label: t('filters.segmentUnknown') }]
            : []),
        ]}
      />
    </fieldset>
  );
}
