import { useQuery } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { staleRateOrdersOptions } from '../api/stale-rates.ts';
import styles from './analytics.module.css';

/** Under a revenue report: how many of the period's orders used a stale exchange rate (none: nothing shown). */
export function StaleRateFootnote({ from, to, timeZone }: { from: string; to: string; timeZone: string }) {
  const { t } = useTranslation('fulfilments');
  const stale = useQuery(staleRateOrdersOptions(from, to, timeZone));
  if (!stale.data) return null;
  return (
    <p className={styles.hint} role="note">
      <TriangleAlert aria-hidden="true" size={16} /> {t('staleRates.footnote', { count: stale.data })}
    </p>
  );
}
