/**
 * The revenue chart itself: the only module that imports recharts, loaded lazily by
 * RevenuePanel so the dashboard's cards paint before the charting library has downloaded.
 */
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTranslation } from 'react-i18next';

import { formatIsoDate } from '@/lib/dates.ts';
import { formatCompactMoney, formatMoney, formatNumber } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';

import type { RevenueDay } from '../api/dashboard.ts';

export interface RevenueChartProps {
  days: RevenueDay[];
  currency: string;
  language: Language;
  /** Read by screen readers instead of the drawing (the table next to it has every figure). */
  summary: string;
}

export function RevenueChart({ days, currency, language, summary }: RevenueChartProps) {
  return (
    // role="img": the SVG's hundreds of shapes say nothing to a screen reader; the summary does.
    <div className="revenue-chart" role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <defs>
            <linearGradient id="revenue-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="var(--accent)" stopOpacity={0.35} />
              <stop offset="100%" stopColor="var(--accent)" stopOpacity={0.02} />
            </linearGradient>
          </defs>
          <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="day"
            tickFormatter={(day: string) => formatIsoDate(day, language, 'short')}
            minTickGap={24}
            tickLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <YAxis
            tickFormatter={(value: number) => formatCompactMoney(value, currency, language)}
            width={72}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <Tooltip
            content={({ active, payload }) => (
              <RevenueTooltip
                active={active}
                day={payload?.[0]?.payload as RevenueDay | undefined}
                currency={currency}
                language={language}
              />
            )}
          />
          <Area
            type="monotone"
            dataKey="revenue"
            stroke="var(--accent)"
            strokeWidth={2}
            fill="url(#revenue-fill)"
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

interface RevenueTooltipProps {
  active: boolean | undefined;
  day: RevenueDay | undefined;
  currency: string;
  language: Language;
}

function RevenueTooltip({ active, day, currency, language }: RevenueTooltipProps) {
  const { t } = useTranslation('dashboard');
  if (!active || !day) return null;
  return (
    <div className="revenue-tooltip">
      <p className="revenue-tooltip-day">{formatIsoDate(day.day, language)}</p>
      <p>{formatMoney(Number(day.revenue), currency, language)}</p>
      <p>{t('revenue.ordersValue', { count: formatNumber(Number(day.orders), language) })}</p>
    </div>
  );
}
