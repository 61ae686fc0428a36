/**
 * pg_cron schedules: '[1-59] seconds', the @macros, or five cron fields (minute, hour,
 * day of month, month, day of week) with `*`, lists, ranges, steps, month / weekday names and
 * `$` (last day of the month). Evaluated in UTC, pg_cron's default `cron.timezone` (GMT),
 * which is what hosted Supabase uses. The SQL side validates the same grammar on schedule().
 */
export type Schedule =
  | { kind: 'interval'; seconds: number }
  | {
      kind: 'cron';
      minute: Set<number>;
      hour: Set<number>;
      dayOfMonth: Set<number>;
      lastDayOfMonth: boolean;
      month: Set<number>;
      dayOfWeek: Set<number>;
      domStar: boolean;
      dowStar: boolean;
    }
  | { kind: 'reboot' };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  low: number;
  high: number;
  names?: string[];
  /** What the first name stands for (months start at 1, weekdays at 0). */
  nameOffset?: number;
}

const FIELDS: FieldSpec[] = [
  { low: 0, high: 59 },
  { low: 0, high: 23 },
  { low: 1, high: 31 },
  { low: 1, high: 12, names: MONTHS, nameOffset: 1 },
  { low: 0, high: 7, names: DAYS, nameOffset: 0 },
];

export class ScheduleError extends Error {
  constructor(schedule: string) {
    super(`invalid schedule: ${schedule}`);
  }
}

export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim().toLowerCase();
  const interval = trimmed.match(/^(\d+)\s*seconds?$/);
  if (interval) {
    const seconds = Number(interval[1]);
    if (seconds < 1 || seconds > 59) throw new ScheduleError(text);
    return { kind: 'interval', seconds };
  }
  if (trimmed === '@reboot') return { kind: 'reboot' };
  const fields = (MACROS[trimmed] ?? trimmed).split(/\s+/);
  if (fields.length !== 5) throw new ScheduleError(text);
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((field, index) =>
    parseField(field, FIELDS[index], index === 2, text),
  );
  // Sunday may be written 0 or 7.
  if (dayOfWeek.values.has(7)) dayOfWeek.values.add(0);
  return {
    kind: 'cron',
    minute: minute.values,
    hour: hour.values,
    dayOfMonth: dayOfMonth.values,
    lastDayOfMonth: dayOfMonth.last,
    month: month.values,
    dayOfWeek: dayOfWeek.values,
    domStar: fields[2].startsWith('*'),
    dowStar: fields[4].startsWith('*'),
  };
}

function parseField(
  field: string,
  spec: FieldSpec,
  allowLast: boolean,
  text: string,
): { values: Set<number>; last: boolean } {
  const values = new Set<number>();
  let last = false;
  for (const item of field.split(',')) {
    const match = item.match(/^([^/]+)(?:\/(\d+))?$/);
    if (!match) throw new ScheduleError(text);
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (step < 1) throw new ScheduleError(text);
    if (allowLast && match[1] === '$') {
      last = true;
      continue;
    }
    let from: number;
    let to: number;
    if (match[1] === '*') {
      from = spec.low;
      to = spec.high;
    } else {
      const bounds = match[1].split('-');
      if (bounds.length > 2) throw new ScheduleError(text);
      from = value(bounds[0], spec, text);
      to = bounds.length === 2 ? value(bounds[1], spec, text) : match[2] === undefined ? from : spec.high;
    }
    if (from > to) throw new ScheduleError(text);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, last };
}

function value(token: string, spec: FieldSpec, text: string): number {
  let result: number;
  if (/^\d+$/.test(token)) result = Number(token);
  else if (spec.names?.includes(token)) result = spec.names.indexOf(token) + (spec.nameOffset ?? 0);
  else throw new ScheduleError(text);
  if (result < spec.low || result > spec.high) throw new ScheduleError(text);
  return result;
}

/** Whether a cron schedule fires in the minute containing `at` (UTC), with Vixie cron's day rule. */
export function cronMatches(schedule: Extract<Schedule, { kind: 'cron' }>, at: Date): boolean {
  if (
    !schedule.minute.has(at.getUTCMinutes()) ||
    !schedule.hour.has(at.getUTCHours()) ||
    !schedule.month.has(at.getUTCMonth() + 1)
  ) {
    return false;
  }
  const day = at.getUTCDate();
  const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  const domMatch = schedule.dayOfMonth.has(day) || (schedule.lastDayOfMonth && day === lastDay);
  const dowMatch = schedule.dayOfWeek.has(at.getUTCDay());
  // Both day fields restricted: either may match (cron's historical OR); otherwise both must.
  if (!schedule.domStar && !schedule.dowStar) return domMatch || dowMatch;
  return domMatch && dowMatch;
}
