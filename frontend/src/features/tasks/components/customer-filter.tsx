import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { customerChoiceOptions, customerSearchOptions } from '@/api/customer-choices.ts';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import styles from './tasks.module.css';

export interface CustomerFilterProps {
  /** The chosen customer's id, or null for every customer. */
  value: string | null;
  onChange: (customer: string | null) => void;
}

/** My tasks' customer filter: search by name, email or company, then pick one (or all). */
export function CustomerFilter({ value, onChange }: CustomerFilterProps) {
  const { t } = useTranslation('tasks');
  const [search, setSearch] = useState('');
  const matches = useQuery(customerSearchOptions(search));
  const chosen = useQuery({ ...customerChoiceOptions(value ?? ''), enabled: Boolean(value) });
  const choices = [...(chosen.data ? [chosen.data] : []), ...(matches.data ?? [])].filter(
    (choice, index, all) => all.findIndex((other) => other.id === choice.id) === index,
  );
  return (
    <>
      <TextField
        label={t('customerFilter.search')}
        type="search"
        className={styles.compactField}
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <SelectField
        label={t('customerFilter.label')}
        className={styles.compactField}
        value={value ?? ''}
        options={[
          { value: '', label: t('customerFilter.all') },
          ...choices.map((choice) => ({ value: choice.id, label: choice.label })),
        ]}
        onChange={(event) => onChange(event.target.value || null)}
      />
    </>
  );
}
