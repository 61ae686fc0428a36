/** A report's measure as ranked bars (or over time): the only module of this feature that imports recharts (lazy). */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';

import styles from './analytics.module.css';

export interface ReportChartPoint {
  label: string;
  value: number;
}

export interface ReportChartProps {
  points: ReportChartPoint[];
  /** How a value is written on the axis (money in the base currency, or a number). */
  format: (value: number) => string;
  /** Read by screen readers instead of the drawing (the table below has every figure). */
  summary: string;
}

export function ReportChart({ points, format, summary }: ReportChartProps) {
  return (
    <div className={styles.chart} role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="label"
            interval="preserveStartEnd"
            minTickGap={16}
            tickLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <YAxis
            tickFormatter={format}
            width={88}
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
