/**
 * My tasks' sections as time ranges in the viewer's time zone: overdue (due before today),
 * today, upcoming (after today, or no due date), done.
 */
import { fromZonedTime } from 'date-fns-tz';

import { isoDateIn } from '@/lib/dates.ts';

export const BUCKETS = ['overdue', 'today', 'upcoming', 'done'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface DayBounds {
  /** The instant today starts in the zone. */
  startOfToday: string;
  /** The instant tomorrow starts in the zone. */
  startOfTomorrow: string;
}

/** Today's bounds as instants (ISO, UTC) for a zone; daylight-saving days are 23 or 25 hours. */
export function dayBounds(timeZone: string, now = new Date()): DayBounds {
  const today = isoDateIn(now, timeZone);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const tomorrow = new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
  return {
    startOfToday: fromZonedTime(`${today}T00:00:00`, timeZone).toISOString(),
    startOfTomorrow: fromZonedTime(`${tomorrow}T00:00:00`, timeZone).toISOString(),
  };
}

/** The section a task belongs in. */
export function bucketOf(task: { due_at: string | null; completed_at: string | null }, bounds: DayBounds): Bucket {
  if (task.completed_at) return 'done';
  if (!task.due_at) return 'upcoming';
  const due = new Date(task.due_at).getTime();
  if (due < new Date(bounds.startOfToday).getTime()) return 'overdue';
  if (due < new Date(bounds.startOfTomorrow).getTime()) return 'today';
  return 'upcoming';
}

/** Snooze choices: in an hour, or tomorrow 09:00 in the viewer's zone. */
export function snoozeTimes(timeZone: string, now = new Date()): { hour: string; tomorrowMorning: string } {
  const tomorrow = dayBounds(timeZone, now).startOfTomorrow;
  const tomorrowDate = isoDateIn(tomorrow, timeZone);
  return {
    hour: new Date(now.getTime() + 60 * 60 * 1000).toISOString(),
    tomorrowMorning: fromZonedTime(`${tomorrowDate}T09:00:00`, timeZone).toISOString(),
  };
}
