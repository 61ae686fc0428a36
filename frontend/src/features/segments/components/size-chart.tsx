/** The segment's size over time: the only module of this feature that imports recharts (lazy). */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';

import { formatIsoDate } from '@/lib/dates.ts';
import { formatNumber } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';

import type { SizeDay } from '../api/segments.ts';
import styles from './segments.module.css';

export interface SizeChartProps {
  days: SizeDay[];
  language: Language;
  /** Read by screen readers instead of the drawing (the table beside it has every figure). */
  summary: string;
}

export function SizeChart({ days, language, summary }: SizeChartProps) {
  return (
    <div className={styles.chart} role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="day"
            tickFormatter={(day: string) => formatIsoDate(day, language, 'short')}
            minTickGap={24}
            tickLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <YAxis
            allowDecimals={false}
            tickFormatter={(value: number) => formatNumber(value, language)}
            width={56}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <Line
            type="stepAfter"
            dataKey="members"
            stroke="var(--accent)"
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
