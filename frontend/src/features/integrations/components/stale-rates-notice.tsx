import { useQuery } from '@tanstack/react-query';
import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { formatIsoDate } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { rateStatusOptions } from '../api/exchange-rates.ts';

import styles from './integrations.module.css';

/**
 * Warns an admin on the dashboard when an order currency's newest exchange rate is more than 3
 * days old (the ECB import stopped): reports then convert its orders with an old rate. Says
 * nothing while loading, on error or when every rate is fresh.
 */
export function StaleRatesNotice() {
  const { t } = useTranslation('integrations');
  const { language } = useZoneAndLanguage();
  const { data } = useQuery(rateStatusOptions());
  const stale = (data ?? []).filter((row) => row.stale);
  if (stale.length === 0) return null;
  return (
    <div role="status" className={styles.notice}>
      <TriangleAlert aria-hidden="true" size={18} />
      <div>
        <p className={styles.noticeTitle}>{t('rates.staleTitle')}</p>
        <ul className={styles.noticeList}>
          {stale.map((row) => (
            <li key={row.currency}>
              {row.latest_rate_date
                ? t('rates.staleSince', {
                    currency: row.currency,
                    date: formatIsoDate(row.latest_rate_date, language),
                    days: row.age_days,
                  })
                : t('rates.missing', { currency: row.currency })}
            </li>
          ))}
        </ul>
        <p>{t('rates.staleHelp')}</p>
      </div>
    </div>
  );
}
