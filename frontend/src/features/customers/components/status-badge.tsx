import { useTranslation } from 'react-i18next';

import type { CustomerStatus } from '../utils/list-params.ts';

/** The customer's status as a coloured pill; the word carries the meaning, the colour only helps. */
export function StatusBadge({ status }: { status: CustomerStatus }) {
  const { t } = useTranslation('customers');
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}
