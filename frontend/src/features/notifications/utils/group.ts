/** Notifications grouped by the day they arrived, in the viewer's time zone, newest day first. */
import { isoDateIn } from '@/lib/dates.ts';

export interface DayGroup<T> {
  /** YYYY-MM-DD in the viewer's zone. */
  day: string;
  items: T[];
}

export function groupByDay<T extends { created_at: string }>(items: T[], timeZone: string): DayGroup<T>[] {
  const groups: DayGroup<T>[] = [];
  for (const item of items) {
    const day = isoDateIn(item.created_at, timeZone);
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/** "today", "yesterday", or null for an older day (shown as a date). */
export function relativeDay(day: string, timeZone: string, now = new Date()): 'today' | 'yesterday' | null {
  const today = isoDateIn(now, timeZone);
  if (day === today) return 'today';
  const yesterday = isoDateIn(new Date(now.getTime() - 86_400_000), timeZone);
  return day === yesterday ? 'yesterday' : null;
}

/** A notification's link, only when it is an in-app path (the database checks it too). */
export function safeLink(link: string | null): string | null {
  return link && /^\/[^/\\]/.test(link) ? link : null;
}
