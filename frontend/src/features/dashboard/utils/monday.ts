/** The Monday view's periods and small sums: the figures themselves come from the reports' SQL. */
import type { DayRange, GrowthRow } from '../api/dashboard.ts';

const DAY = 86_400_000;
const msOf = (day: string) => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` days up to today (inclusive), and the same number of days just before. */
export function lastDays(today: string, days: number): { current: DayRange; previous: DayRange } {
  const from = msOf(today) - (days - 1) * DAY;
  return {
    current: { from: toDay(from), to: today },
    previous: { from: toDay(from - days * DAY), to: toDay(from - DAY) },
  };
}

/** The Monday `weeks` − 1 weeks before this week's Monday, up to today: whole ISO weeks. */
export function lastWeeks(today: string, weeks: number): DayRange {
  const weekday = (new Date(msOf(today)).getUTCDay() + 6) % 7; // Monday 0
  return { from: toDay(msOf(today) - (weekday + 7 * (weeks - 1)) * DAY), to: today };
}

/** New customers per week (all countries), every week of the range present, oldest first. */
export function newCustomersPerWeek(rows: GrowthRow[], range: DayRange): Array<{ week: string; count: number }> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.period, (counts.get(row.period) ?? 0) + Number(row.new_customers));
  const weeks: Array<{ week: string; count: number }> = [];
  for (let ms = msOf(range.from); ms <= msOf(range.to); ms += 7 * DAY) {
    weeks.push({ week: toDay(ms), count: counts.get(toDay(ms)) ?? 0 });
  }
  return weeks;
}

/** (value − previous) ÷ previous; null when there is nothing to compare with. */
export function changeOf(value: number, previous: number): number | null {
  return previous === 0 ? null : (value - previous) / previous;
}
