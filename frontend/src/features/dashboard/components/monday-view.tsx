import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { StatCard, type Trend } from '@/components/ui/stat-card.tsx';
import { isoDateIn } from '@/lib/dates.ts';
import { formatChange, formatMoney, formatNumber } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';

import {
  atRiskOptions,
  revenueByCountryOptions,
  weekFiguresOptions,
  weeklyGrowthOptions,
  type DayRange,
} from '../api/dashboard.ts';
import { changeOf, lastDays, lastWeeks, newCustomersPerWeek } from '../utils/monday.ts';
import styles from './monday-view.module.css';

export interface MondayViewProps {
  timeZone: string;
  language: Language;
  currency: string;
}

const reportLink = (report: string, range?: DayRange) =>
  `/analytics?${new URLSearchParams({ report, ...(range ? { from: range.from, to: range.to } : {}) }).toString()}`;

/**
 * The manager's Monday: the last 7 days against the 7 before, where the revenue came from, who
 * joined week by week and who is about to leave — each from the analytics reports (as the viewer
 * may see them), each linking into its full report.
 */
export function MondayView({ timeZone, language, currency }: MondayViewProps) {
  const { t } = useTranslation('dashboard');
  const [today] = useState(() => isoDateIn(Date.now(), timeZone));
  const week = lastDays(today, 7);
  const month = lastDays(today, 30).current;
  const weeks = lastWeeks(today, 8);
  const current = useQuery(weekFiguresOptions(week.current, timeZone));
  const previous = useQuery(weekFiguresOptions(week.previous, timeZone));
  const countries = useQuery(revenueByCountryOptions(month, timeZone));
  const growth = useQuery(weeklyGrowthOptions(weeks, timeZone));
  const atRisk = useQuery(atRiskOptions());
  const money = (value: number) => formatMoney(value, currency, language);
  const headingId = useId();

  const card = (id: 'revenue' | 'orders' | 'newCustomers', format: (value: number) => string) => {
    const value = current.data?.[id] ?? 0;
    const before = previous.data?.[id];
    const change = before === undefined ? null : changeOf(value, before);
    const trend: Trend = change === null || Math.abs(change) < 0.0005 ? 'flat' : change > 0 ? 'up' : 'down';
    return (
      <StatCard
        key={id}
        label={t(`week.${id}`)}
        value={format(value)}
        trend={trend}
        comparison={change === null ? undefined : t('week.change', { change: formatChange(change, language) })}
        detail={before === undefined ? undefined : t('week.previous', { value: format(before) })}
      />
    );
  };

  return (
    <section className={styles.monday} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId}>{t('week.heading')}</h2>
        <Link to={reportLink('trend', week.current)}>{t('week.openTrend')}</Link>
      </div>
      <Panel query={current} retry={() => void Promise.all([current.refetch(), previous.refetch()])}>
        {() => (
          <div className={styles.cards}>
            {card('revenue', money)}
            {card('orders', (value) => formatNumber(value, language))}
            {card('newCustomers', (value) => formatNumber(value, language))}
          </div>
        )}
      </Panel>
      <div className={styles.grid}>
        <article className={styles.panel} aria-labelledby={`${headingId}-countries`}>
          <h3 id={`${headingId}-countries`}>{t('countries.heading')}</h3>
          <Panel query={countries} empty={t('countries.empty')}>
            {(rows) => (
              <RankedBars
                label={t('countries.heading')}
                items={rows.slice(0, 5).map((row) => ({
                  key: row.country ?? '—',
                  label: row.country ?? t('countries.unknown'),
                  value: Number(row.revenue),
                  shown: money(Number(row.revenue)),
                }))}
              />
            )}
          </Panel>
          <Link to={reportLink('revenue', month)}>{t('countries.open')}</Link>
        </article>
        <article className={styles.panel} aria-labelledby={`${headingId}-growth`}>
          <h3 id={`${headingId}-growth`}>{t('growth.heading')}</h3>
          <Panel query={growth}>
            {(rows) => {
              const perWeek = newCustomersPerWeek(rows, weeks);
              const top = Math.max(1, ...perWeek.map((item) => item.count));
              return (
                <ol className={styles.columns} aria-label={t('growth.heading')}>
                  {perWeek.map((item) => (
                    <li key={item.week} className={styles.column}>
                      <span className={styles.columnBar} style={{ height: `${(item.count / top) * 100}%` }} />
                      <span className="visually-hidden">
                        {t('growth.item', { week: item.week, count: item.count })}
                      </span>
                    </li>
                  ))}
                </ol>
              );
            }}
          </Panel>
          <Link to={reportLink('growth', weeks)}>{t('growth.open')}</Link>
        </article>
        <article className={styles.panel} aria-labelledby={`${headingId}-risk`}>
          <h3 id={`${headingId}-risk`}>{t('risk.heading')}</h3>
          <Panel query={atRisk} empty={t('risk.empty')}>
            {(rows) => (
              <ul className={styles.risk}>
                {rows.map((row) => (
                  <li key={row.customer_id}>
                    <Link to={`/customers/${row.customer_id}`}>{row.full_name}</Link>{' '}
                    <span className={styles.muted}>{money(Number(row.lifetime_value))}</span>
                    <br />
                    <span className={styles.muted}>{row.churn_summary}</span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
          <Link to={reportLink('churn')}>{t('risk.open')}</Link>
        </article>
      </div>
    </section>
  );
}

/** A panel's three states around its content: loading, an error with Try again, nothing yet. */
function Panel<T>({
  query,
  empty,
  retry,
  children,
}: {
  query: UseQueryResult<T>;
  empty?: string;
  retry?: () => void;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation('dashboard');
  if (query.isPending) return <p role="status">{t('panel.loading')}</p>;
  if (query.isError) {
    return (
      <p role="alert" className={styles.error}>
        {t('panel.error')}{' '}
        <Button variant="secondary" onClick={retry ?? (() => void query.refetch())}>
          {t('panel.retry')}
        </Button>
      </p>
    );
  }
  if (empty !== undefined && Array.isArray(query.data) && query.data.length === 0) {
    return <p className={styles.muted}>{empty}</p>;
  }
  return <>{children(query.data)}</>;
}

/** Ranked horizontal bars: a list a screen reader reads in order, each with its figure. */
export function RankedBars({
  label,
  items,
}: {
  label: string;
  items: Array<{ key: string; label: string; value: number; shown: string }>;
}) {
  const top = Math.max(1, ...items.map((item) => item.value));
  return (
    <ol className={styles.bars} aria-label={label}>
      {items.map((item) => (
        <li key={item.key} className={styles.bar}>
          <span className={styles.barLabel}>{item.label}</span>
          <span className={styles.barTrack} aria-hidden="true">
            <span className={styles.barFill} style={{ width: `${Math.max(0, (item.value / top) * 100)}%` }} />
          </span>
          <span className={styles.barValue}>{item.shown}</span>
        </li>
      ))}
    </ol>
  );
}
