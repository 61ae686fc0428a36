import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatIsoDate } from '@/lib/dates.ts';
import { formatMoney, formatNumber } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';

import type { RevenueDay } from '../api/dashboard.ts';
import { useRevenueByDay } from '../hooks/use-dashboard.ts';
import { lastDays, parseRangeDays, RANGE_DAYS, summarise, type RangeDays } from '../utils/revenue-range.ts';

import './dashboard.css';

// recharts is the heaviest thing on the page: it loads after the cards, in its own chunk.
const RevenueChart = lazy(() => import('./revenue-chart.tsx').then((module) => ({ default: module.RevenueChart })));

export interface RevenuePanelProps {
  timeZone: string;
  language: Language;
  currency: string;
}

/** Revenue by day over 30 / 90 / 365 days (the choice kept in the URL), drawn and as text. */
export function RevenuePanel({ timeZone, language, currency }: RevenuePanelProps) {
  const { t } = useTranslation('dashboard');
  const headingId = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const days = parseRangeDays(searchParams.get('range'));
  const range = useMemo(() => lastDays(days, timeZone), [days, timeZone]);
  const revenue = useRevenueByDay(range);

  const chooseRange = (next: RangeDays) =>
    setSearchParams(
      (params) => {
        params.set('range', String(next));
        return params;
      },
      { replace: true },
    );

  return (
    <section className="revenue-panel" aria-labelledby={headingId} aria-busy={revenue.isFetching}>
      <div className="revenue-panel-header">
        <h2 id={headingId}>{t('revenue.heading')}</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('revenue.rangeLabel')}</legend>
          {RANGE_DAYS.map((option) => (
            <label key={option} className="segmented-option">
              <input
                type="radio"
                name="revenue-range"
                value={option}
                checked={days === option}
                onChange={() => chooseRange(option)}
              />
              <span>{t(`revenue.range.${option}`)}</span>
            </label>
          ))}
        </fieldset>
      </div>
      {revenue.isPending ? (
        <div className="revenue-chart-skeleton" role="status" aria-label={t('revenue.loading')} />
      ) : revenue.isError ? (
        <ErrorState
          title={t('revenue.errorTitle')}
          description={t('errors.description')}
          onRetry={() => void revenue.refetch()}
        />
      ) : (
        <RevenueFigures
          from={range.from}
          to={range.to}
          days={revenue.data}
          currency={currency}
          language={language}
          updating={revenue.isPlaceholderData}
        />
      )}
    </section>
  );
}

interface RevenueFiguresProps {
  /** The range asked for, as calendar dates. */
  from: string;
  to: string;
  days: RevenueDay[];
  currency: string;
  language: Language;
  /** The figures of the previous range, shown while the new one loads. */
  updating: boolean;
}

function RevenueFigures({ days, currency, language, updating, ...range }: RevenueFiguresProps) {
  const { t } = useTranslation('dashboard');
  const [tableShown, setTableShown] = useState(false);
  const tableId = useId();
  const money = (amount: number) => formatMoney(amount, currency, language);
  const { revenue, orders, bestDay } = summarise(days);
  const from = formatIsoDate(range.from, language);
  const to = formatIsoDate(range.to, language);

  if (!bestDay) {
    return <p className="revenue-empty">{t('revenue.none', { from, to })}</p>;
  }
  const summary = [
    t('revenue.summary', { from, to, revenue: money(revenue), orders: formatNumber(orders, language) }),
    t('revenue.bestDay', { day: formatIsoDate(bestDay.day, language), revenue: money(Number(bestDay.revenue)) }),
  ].join(' ');

  return (
    <div className={updating ? 'revenue-figures revenue-updating' : 'revenue-figures'}>
      <p className="revenue-summary">{summary}</p>
      <Suspense fallback={<div className="revenue-chart-skeleton" aria-hidden="true" />}>
        <RevenueChart days={days} currency={currency} language={language} summary={summary} />
      </Suspense>
      <Button
        variant="secondary"
        aria-expanded={tableShown}
        aria-controls={tableId}
        onClick={() => setTableShown((shown) => !shown)}
      >
        {tableShown ? t('revenue.hideTable') : t('revenue.showTable')}
      </Button>
      {/* It scrolls on its own, so it takes focus: keyboard users scroll it with the arrow keys. */}
      <div
        id={tableId}
        className="revenue-table-wrap"
        hidden={!tableShown}
        role="region"
        aria-label={t('revenue.tableCaption', { from, to })}
        tabIndex={tableShown ? 0 : undefined}
      >
        {tableShown ? (
          <Table
            className="revenue-table"
            caption={t('revenue.tableCaption', { from, to })}
            columns={[
              { label: t('revenue.columns.day') },
              { label: t('revenue.columns.revenue') },
              { label: t('revenue.columns.orders') },
            ]}
          >
            {/* Newest first: the recent days are the ones people look up. */}
            {[...days].reverse().map((day) => (
              <tr key={day.day}>
                <th scope="row">{formatIsoDate(day.day, language)}</th>
                <td>{money(Number(day.revenue))}</td>
                <td>{formatNumber(Number(day.orders), language)}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </div>
    </div>
  );
}
