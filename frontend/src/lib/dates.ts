/**
 * All time-zone work in the app goes through here, always with an explicit IANA zone: the
 * viewer's (from their profile) or a customer's. The browser's own zone is never assumed.
 */
import { differenceInCalendarDays, type Locale } from 'date-fns';
import { de, enUS, es, fr, zhCN } from 'date-fns/locale';
import { formatInTimeZone, toZonedTime } from 'date-fns-tz';

import type { Language } from './i18n.ts';
import { dateTimeFormat, memoizeFormat, relativeTimeFormat } from './intl-cache.ts';

const DATE_FNS_LOCALES: Record<Language, Locale> = { en: enUS, es, fr, de, zh: zhCN };

export interface ZoneAndLanguage {
  timeZone: string;
  language: Language;
}

type DateInput = Date | string | number;

const toDate = (value: DateInput) => (value instanceof Date ? value : new Date(value));

/** A date-fns pattern at an instant in a zone, remembered: lists format the same days again and again. */
const inZone = memoizeFormat<[time: number, timeZone: string, pattern: string, language?: Language]>(
  (time: number, timeZone: string, pattern: string, language?: Language) =>
    formatInTimeZone(time, timeZone, pattern, language ? { locale: DATE_FNS_LOCALES[language] } : undefined),
  (time, timeZone, pattern, language) => `${time}|${timeZone}|${pattern}|${language ?? ''}`,
);

/** A calendar date as people in that language write it: "Mar 5, 2026", "5. März 2026", "2026年3月5日". */
export function formatDate(value: DateInput, { timeZone, language }: ZoneAndLanguage): string {
  return inZone(toDate(value).getTime(), timeZone, 'PP', language);
}

/** A time of day: "2:30 PM", "14:30". */
export function formatTime(value: DateInput, { timeZone, language }: ZoneAndLanguage): string {
  return inZone(toDate(value).getTime(), timeZone, 'p', language);
}

export function formatDateTime(value: DateInput, { timeZone, language }: ZoneAndLanguage): string {
  return inZone(toDate(value).getTime(), timeZone, 'PP p', language);
}

/** The zone's current offset as "UTC+05:30" / "UTC−03:00", for pickers and the customer's local time. */
export function formatUtcOffset(timeZone: string, at: DateInput = Date.now()): string {
  const offset = inZone(toDate(at).getTime(), timeZone, 'xxx');
  return `UTC${offset.replace('-', '−')}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * "5 minutes ago", "in 2 hours", then by calendar day in the viewer's zone ("yesterday",
 * "3 days ago"), then a plain date after a week. Days are counted in the zone because
 * "yesterday" at 00:30 in Tokyo is still "today" in London.
 */
export function formatRelative(
  value: DateInput,
  { timeZone, language }: ZoneAndLanguage,
  now: DateInput = Date.now(),
): string {
  const date = toDate(value);
  const reference = toDate(now);
  const rtf = relativeTimeFormat(language, { numeric: 'auto' });
  const elapsed = date.getTime() - reference.getTime();
  if (Math.abs(elapsed) < MINUTE) return rtf.format(0, 'second');
  if (Math.abs(elapsed) < HOUR) return rtf.format(Math.trunc(elapsed / MINUTE), 'minute');
  const days = differenceInCalendarDays(toZonedTime(date, timeZone), toZonedTime(reference, timeZone));
  if (days === 0) return rtf.format(Math.trunc(elapsed / HOUR), 'hour');
  if (Math.abs(days) <= 7) return rtf.format(days, 'day');
  return formatDate(date, { timeZone, language });
}

/** Every IANA zone this browser knows, with UTC first (some engines leave it out of the list). */
export function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date ("2026-03-06") at that instant in the zone: "today" as the viewer lives it. */
export function isoDateIn(value: DateInput, timeZone: string): string {
  return inZone(toDate(value).getTime(), timeZone, 'yyyy-MM-dd');
}

/**
 * A date-only value from the database ("2026-03-06", already a day in someone's zone) in the
 * viewer's language. It has no instant, so it is formatted in UTC where it cannot shift a day.
 */
export function formatIsoDate(isoDate: string, language: Language, style: 'short' | 'long' | 'month' = 'long'): string {
  return dateTimeFormat(language, { ...ISO_DATE_STYLES[style], timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}
const ISO_DATE_STYLES: Record<'short' | 'long' | 'month', Intl.DateTimeFormatOptions> = {
  short: { month: 'short', day: 'numeric' }, // "Mar 6", "6. März"
  long: { year: 'numeric', month: 'short', day: 'numeric' }, // "Mar 6, 2026"
  month: { year: 'numeric', month: 'short' }, // "Mar 2026", "März 2026", "2026年3月"
};
