/** A report's measure as ranked bars (or over time): the only module of this feature that imports recharts (lazy). */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';

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

const SERIES_COLOURS = ['var(--accent)', '#b45309', '#047857', '#7c3aed', '#be123c'];

export interface SeriesChartProps {
  series: { names: string[]; points: Array<Record<string, number | string>> };
  /** Read by screen readers instead of the drawing (the table below has every figure). */
  summary: string;
}

/** Several measures over time (segment sizes): one line each, a legend naming them. */
export function SeriesChart({ series, summary }: SeriesChartProps) {
  return (
    <div className={styles.chart} role="img" aria-label={summary}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={series.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="label" minTickGap={16} tickLine={false} tick={{ fill: 'var(--muted)', fontSize: 12 }} />
          <YAxis
            allowDecimals={false}
            width={56}
            tickLine={false}
            axisLine={false}
            tick={{ fill: 'var(--muted)', fontSize: 12 }}
          />
          <Legend />
          {series.names.map((name, index) => (
            <Line
              key={name}
              dataKey={name}
              stroke={SERIES_COLOURS[index % SERIES_COLOURS.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
