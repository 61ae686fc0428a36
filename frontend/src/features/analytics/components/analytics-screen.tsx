import type { PostgrestError } from '@supabase/supabase-js';
import { useQuery } from '@tanstack/react-query';
import { BarChart3, Download } from 'lucide-react';
import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { baseCurrencyOptions } from '@/api/workspace.ts';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatIsoDate, isoDateIn } from '@/lib/dates.ts';
import { downloadCsv } from '@/lib/download.ts';
import { displayNameOf, formatMoney, formatNumber, formatPercent } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';
import { useViewer } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { reportOptions, type ReportRow } from '../api/reports.ts';
import {
  lastTwelveMonths,
  monthsIn,
  previousRange,
  rangeProblem,
  REPORT_KEYS,
  REPORTS,
  sumOf,
  toCsv,
  type DayRange,
  type ReportColumn,
  type ReportDefinition,
  type ReportKey,
  type ReportOptions,
} from '../utils/reports.ts';
import styles from './analytics.module.css';
import { ReportBoundary } from './report-boundary.tsx';
import { StaleRateFootnote } from './stale-rate-footnote.tsx';

const ReportChart = lazy(() => import('./report-chart.tsx').then((module) => ({ default: module.ReportChart })));
const SeriesChart = lazy(() => import('./report-chart.tsx').then((module) => ({ default: module.SeriesChart })));
/** At most this many bars: the table below has every row. */
const CHART_POINTS = 24;

const isReport = (value: string | null): value is ReportKey =>
  value !== null && (REPORT_KEYS as readonly string[]).includes(value);

function argsOf(report: ReportDefinition, range: DayRange, timeZone: string, options: ReportOptions) {
  const extra = report.extra?.(options) ?? {};
  if (!report.ranged) return extra;
  if (report.key === 'cohorts') return { from_month: range.from, months: monthsIn(range), timezone: timeZone };
  return { from_day: range.from, to_day: range.to, timezone: timeZone, ...extra };
}

/** /analytics: pick a report, a range in the viewer's days, compare with the period before, download. */
export function AnalyticsScreen() {
  // The campaigns report's labels are the campaigns namespace's (reports.campaigns, columns…):
  // keys missing in analytics are looked up there.
  const { t } = useTranslation(['analytics', 'campaigns'], { nsMode: 'fallback' });
  const viewer = useViewer();
  const language = usePreferencesStore((state) => state.language);
  const [params, setParams] = useSearchParams();
  const [openedAt] = useState(() => Date.now());
  const defaults = lastTwelveMonths(isoDateIn(openedAt, viewer.timeZone));
  // The screen's choices live here and are mirrored into the URL (so a link opens the same
  // report); reading them back from the URL on every change raced with quick edits.
  const [choices, setChoices] = useState<Record<string, string>>(() => Object.fromEntries(params.entries()));
  useEffect(() => {
    setParams(new URLSearchParams(choices), { replace: true });
  }, [choices, setParams]);
  const reportKey: ReportKey = isReport(choices.report ?? null) ? (choices.report as ReportKey) : 'growth';
  const report = REPORTS[reportKey];
  const range: DayRange = { from: choices.from ?? defaults.from, to: choices.to ?? defaults.to };
  const compare = choices.compare === '1';
  const options: ReportOptions = {
    todayRates: choices.fx === 'today',
    productsBy: choices.by === 'product' ? 'product' : 'brand',
    geographyBy: choices.geo === 'region' ? 'region' : 'country',
  };
  const problem = report.ranged ? rangeProblem(range) : null;
  const currency = useQuery(baseCurrencyOptions());
  const current = useQuery({
    ...reportOptions(report.fn, argsOf(report, range, viewer.timeZone, options)),
    enabled: problem === null,
  });
  const previous = useQuery({
    ...reportOptions(report.fn, argsOf(report, previousRange(range), viewer.timeZone, options)),
    enabled: problem === null && compare && report.ranged && report.key !== 'cohorts',
  });
  const set = (changes: Record<string, string | null>) =>
    setChoices((old) =>
      Object.fromEntries(
        Object.entries({ ...old, ...changes }).filter(
          (entry): entry is [string, string] => entry[1] !== null && entry[1] !== '',
        ),
      ),
    );

  const columns = report.columns.filter(
    (column) =>
      (options.todayRates ||
        (column.key !== 'revenue_at_today_rates' && column.key !== 'fx_effect') ||
        report.key !== 'revenue') &&
      (report.key !== 'geography' || column.key !== 'region' || options.geographyBy === 'region'),
  );
  const money = (value: number) =>
    currency.data ? formatMoney(value, currency.data, language) : formatNumber(value, language);
  const show = (column: ReportColumn, value: unknown) => formatCell(column, value, language, money, t);
  const label = (column: ReportColumn) => t(`columns.${column.key}`);
  const chart = current.data ? chartOf(report, current.data, show) : null;
  const totalColumn = report.columns.find((candidate) => candidate.key === report.total);
  const error = current.error as Partial<PostgrestError> | null;

  const download = () => {
    if (!current.data) return;
    downloadCsv(
      toCsv(
        columns.map(label),
        current.data.map((row) => columns.map((column) => row[column.key])),
      ),
      `${reportKey}-${report.ranged ? `${range.from}-${range.to}` : isoDateIn(openedAt, viewer.timeZone)}.csv`,
    );
  };

  return (
    <>
      <div className={styles.controls}>
        <SelectField
          label={t('controls.report')}
          value={reportKey}
          onChange={(event) => set({ report: event.currentTarget.value })}
          options={REPORT_KEYS.map((key) => ({ value: key, label: t(`reports.${key}.title`) }))}
        />
        {report.ranged ? (
          <>
            <TextField
              label={t('controls.from')}
              type="date"
              value={range.from}
              onChange={(event) => set({ from: event.currentTarget.value })}
            />
            <TextField
              label={t('controls.to')}
              type="date"
              value={range.to}
              onChange={(event) => set({ to: event.currentTarget.value })}
            />
            {report.key !== 'cohorts' ? (
              <Checkbox
                className={styles.checkboxField}
                label={t('controls.compare')}
                checked={compare}
                onChange={(event) => set({ compare: event.currentTarget.checked ? '1' : null })}
              />
            ) : null}
          </>
        ) : null}
        {report.key === 'revenue' ? (
          <Checkbox
            className={styles.checkboxField}
            label={t('controls.todayRates')}
            checked={options.todayRates}
            onChange={(event) => set({ fx: event.currentTarget.checked ? 'today' : null })}
          />
        ) : null}
        {report.key === 'geography' ? (
          <SelectField
            label={t('controls.geographyBy')}
            value={options.geographyBy}
            onChange={(event) => set({ geo: event.currentTarget.value })}
            options={[
              { value: 'country', label: t('controls.byCountry') },
              { value: 'region', label: t('controls.byRegion') },
            ]}
          />
        ) : null}
        {report.key === 'products' ? (
          <SelectField
            label={t('controls.productsBy')}
            value={options.productsBy}
            onChange={(event) => set({ by: event.currentTarget.value })}
            options={[
              { value: 'brand', label: t('controls.byBrand') },
              { value: 'product', label: t('controls.byProduct') },
            ]}
          />
        ) : null}
        <Button variant="secondary" onClick={download} disabled={!current.data || current.data.length === 0}>
          <Download aria-hidden="true" size={16} />
          {t('controls.download')}
        </Button>
      </div>
      <section aria-labelledby={`report-${reportKey}`}>
        <h2 id={`report-${reportKey}`}>{t(`reports.${reportKey}.title`)}</h2>
        <p className={styles.hint}>{t(`reports.${reportKey}.description`)}</p>
        <ReportBoundary
          key={`${reportKey}:${range.from}:${range.to}`}
          title={t('errors.title')}
          description={t('errors.drawing')}
        >
          {problem ? (
            <p className="field-error" role="alert">
              {t(`range.${problem}`)}
            </p>
          ) : current.isPending ? (
            <LoadingState />
          ) : current.isError ? (
            error?.code === '22023' ? (
              <p className="field-error" role="alert">
                {error.message}
              </p>
            ) : (
              <ErrorState
                title={t('errors.title')}
                description={t(`errors.${errorKind(error)}`)}
                onRetry={() => void current.refetch()}
              />
            )
          ) : current.data.length === 0 ? (
            <EmptyState
              icon={BarChart3}
              title={t('empty.title')}
              description={t('empty.description')}
              headingLevel={3}
            />
          ) : (
            <>
              <p className={styles.summary} role="status">
                {summaryOf(report, current.data, compare ? previous.data : undefined, {
                  t,
                  money,
                  language,
                  range,
                })}
              </p>
              {report.key === 'revenue' ? (
                <StaleRateFootnote from={range.from} to={range.to} timeZone={viewer.timeZone} />
              ) : null}
              {report.key === 'segmentSizes' ? (
                <Suspense fallback={null}>
                  <SeriesChart
                    series={seriesOf(current.data, (value) => show({ key: 'period', format: 'date' }, value))}
                    summary={t('segmentSizes.summary', {
                      count: new Set(current.data.map((row) => row.segment_id)).size,
                    })}
                  />
                </Suspense>
              ) : null}
              {chart ? (
                <Suspense fallback={null}>
                  <ReportChart
                    points={chart}
                    format={(value) => (totalColumn ? show(totalColumn, value) : formatNumber(value, language))}
                    summary={summaryOf(report, current.data, compare ? previous.data : undefined, {
                      t,
                      money,
                      language,
                      range,
                    })}
                  />
                </Suspense>
              ) : null}
              {report.key === 'cohorts' ? (
                <CohortTable rows={current.data} language={language} />
              ) : (
                <div className={styles.tableWrap}>
                  <Table
                    className={styles.table}
                    caption={t('tableCaption', { report: t(`reports.${reportKey}.title`) })}
                    columns={columns.map((column) => ({ label: label(column) }))}
                  >
                    {current.data.map((row, index) => (
                      <tr key={index}>
                        {columns.map((column) => (
                          <td key={column.key} className={column.format === 'text' ? undefined : styles.number}>
                            {show(column, row[column.key])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </Table>
                </div>
              )}
            </>
          )}
        </ReportBoundary>
      </section>
    </>
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

const isIsoDay = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** "Mar 2026" for a day of that month; anything else as it came (never a thrown RangeError). */
function formatMonth(value: unknown, language: Language): string {
  if (!isIsoDay(value)) return value === null || value === undefined ? '—' : String(value);
  return formatIsoDate(value, language, 'month');
}

/** Which sentence explains a failed report: too slow, not allowed, or anything else. */
export function errorKind(error: Partial<PostgrestError> | null): 'timeout' | 'forbidden' | 'failed' {
  if (error?.code === '57014') return 'timeout';
  if (error?.code === '42501') return 'forbidden';
  return 'failed';
}

/**
 * The bars of a report: its summed measure against its first column (the period, country,
 * customer, brand, member…), in the report's own order, at most CHART_POINTS; none for reports
 * without a measure or a label column, and for cohorts (their heat-map table is the picture).
 */
function chartOf(
  report: ReportDefinition,
  rows: ReportRow[],
  show: (column: ReportColumn, value: unknown) => string,
): { label: string; value: number }[] | null {
  const [first] = report.columns;
  if (report.key === 'cohorts' || !report.total || !first || first.key === report.total) return null;
  const points = rows.slice(0, CHART_POINTS).map((row) => ({
    // Geography by region: "ES · Catalonia".
    label: row.region ? `${show(first, row[first.key])} · ${String(row.region)}` : show(first, row[first.key]),
    value: Number(row[report.total as string] ?? 0),
  }));
  return points.length > 1 ? points : null;
}

/** Segment sizes as lines: one per segment (the five largest at the end), a point per period. */
function seriesOf(
  rows: ReportRow[],
  label: (value: unknown) => string,
): { names: string[]; points: Array<Record<string, number | string>> } {
  const last = rows.reduce((latest, row) => (String(row.period) > latest ? String(row.period) : latest), '');
  const names = rows
    .filter((row) => String(row.period) === last)
    .sort((a, b) => Number(b.members) - Number(a.members))
    .slice(0, 5)
    .map((row) => String(row.name));
  const byPeriod = new Map<string, Record<string, number | string>>();
  for (const row of rows) {
    if (!names.includes(String(row.name))) continue;
    const period = String(row.period);
    const point = byPeriod.get(period) ?? { label: label(period) };
    point[String(row.name)] = Number(row.members);
    byPeriod.set(period, point);
  }
  return { names, points: [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, point]) => point) };
}

function formatCell(
  column: ReportColumn,
  value: unknown,
  language: Language,
  money: (value: number) => string,
  t: Translate,
): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (column.format) {
    case 'number':
      return formatNumber(Number(value), language);
    case 'money':
      return money(Number(value));
    case 'percent':
      return formatPercent(Number(value), language);
    case 'date':
      return isIsoDay(value) ? formatIsoDate(value, language) : String(value);
    case 'month':
      return formatMonth(value, language);
    case 'country':
      return displayNameOf('region', String(value), language) ?? String(value);
    default:
      return column.key === 'churn_risk' ? t(`risk.${String(value)}`) : String(value);
  }
}

function summaryOf(
  report: ReportDefinition,
  rows: ReportRow[],
  previousRows: ReportRow[] | undefined,
  {
    t,
    money,
    language,
    range,
  }: { t: Translate; money: (value: number) => string; language: Language; range: DayRange },
): string {
  const column = report.columns.find((candidate) => candidate.key === report.total);
  if (!column) return t('summary.rows', { count: rows.length });
  const total = sumOf(rows, column.key);
  const shown = column.format === 'money' ? money(total) : formatNumber(total, language);
  const base = report.ranged
    ? t('summary.ranged', {
        from: formatIsoDate(range.from, language),
        to: formatIsoDate(range.to, language),
        measure: t(`columns.${column.key}`),
        total: shown,
        count: rows.length,
      })
    : t('summary.now', { measure: t(`columns.${column.key}`), total: shown, count: rows.length });
  if (!previousRows) return base;
  const before = sumOf(previousRows, column.key);
  const previous = column.format === 'money' ? money(before) : formatNumber(before, language);
  if (before === 0) return `${base} ${t('summary.previousNone', { previous })}`;
  return `${base} ${t('summary.previous', { previous, change: formatPercent((total - before) / before, language) })}`;
}

/** Cohorts × months since the first purchase: retention as a heat-map table. */
function CohortTable({ rows, language }: { rows: ReportRow[]; language: Language }) {
  const { t } = useTranslation('analytics');
  const captionId = useId();
  // Only rows of the cohort report (a month and a whole offset from 0 to 60) make cells.
  const cells = rows.filter(
    (row) => isIsoDay(row.cohort) && Number.isInteger(Number(row.month_offset)) && Number(row.month_offset) >= 0,
  );
  const cohorts = [...new Set(cells.map((row) => String(row.cohort)))];
  const offsets = Math.min(61, Math.max(0, ...cells.map((row) => Number(row.month_offset) + 1)));
  const cell = (cohort: string, offset: number) =>
    cells.find((row) => String(row.cohort) === cohort && Number(row.month_offset) === offset);
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} aria-describedby={captionId}>
        <caption id={captionId} className="visually-hidden">
          {t('cohorts.caption')}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('columns.cohort')}</th>
            <th scope="col">{t('columns.cohort_customers')}</th>
            {Array.from({ length: offsets }, (_, offset) => (
              <th key={offset} scope="col">
                {t('cohorts.month', { offset })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((cohort) => {
            const size = Number(cells.find((row) => String(row.cohort) === cohort)?.cohort_customers ?? 0);
            return (
              <tr key={cohort}>
                <th scope="row">{formatMonth(cohort, language)}</th>
                <td className={styles.heat}>{formatNumber(size, language)}</td>
                {Array.from({ length: offsets }, (_, offset) => {
                  const found = cell(cohort, offset);
                  const retention = found ? Number(found.retention) : 0;
                  return (
                    <td
                      key={offset}
                      className={styles.heat}
                      style={{
                        background: `color-mix(in srgb, var(--accent) ${Math.round(retention * 30)}%, transparent)`,
                      }}
                    >
                      {found ? formatPercent(retention, language) : '—'}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
