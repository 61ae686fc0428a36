import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { formatIsoDate } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import styles from './stale-rate-mark.module.css';

interface StaleRateMarkProps {
  /** orders.exchange_rate_stale: the rate was more than 3 days older than the order (or missing). */
  stale: boolean;
  /** orders.exchange_rate_date: the day of the rate the base amounts were converted with. */
  rateDate: string | null;
}

/**
 * Beside an amount in the base currency: the order was converted with a stale exchange rate, so
 * the amount is approximate. The explanation is the mark's accessible name and its tooltip.
 * Nothing for an order converted with a current rate. Its words are in the `integrations`
 * namespace (issue 11's exchange rates): the screens that show it load that namespace.
 */
export function StaleRateMark({ stale, rateDate }: StaleRateMarkProps) {
  const { t } = useTranslation('integrations');
  const { language } = useZoneAndLanguage();
  if (!stale) return null;
  const label = rateDate ? t('rates.orderStale', { date: formatIsoDate(rateDate, language) }) : t('rates.orderMissing');
  return (
    <span className={styles.staleRate} role="img" aria-label={label} title={label}>
      <TriangleAlert aria-hidden="true" size={14} />
    </span>
  );
}
