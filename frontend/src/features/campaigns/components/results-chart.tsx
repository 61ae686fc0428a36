/** The campaign's funnel as bars: the only module of this feature that imports recharts. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';

import { formatNumber } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';

import styles from './campaigns.module.css';

export interface ResultsChartProps {
  bars: Array<{ label: string; value: number }>;
  language: Language;
  /** Read by screen readers instead of the drawing (the figures beside it say the same). */
  summary: string;
}

export function ResultsChart({ bars, language, summary }: ResultsChartProps) {
  return (
    <div className={styles.chart} role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="label" tickLine={false} tick={{ fill: 'var(--muted)', fontSize: 12 }} />
          <YAxis
            allowDecimals={false}
            tickFormatter={(value: number) => formatNumber(value, language)}
            width={56}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <Bar dataKey="value" fill="var(--accent)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
