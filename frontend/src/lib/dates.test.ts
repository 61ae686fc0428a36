import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
  formatDate,
  formatDateTime,
  formatRelative,
  formatTime,
  formatIsoDate,
  formatUtcOffset,
  isoDateIn,
  isTimeZone,
  timeZones,
} from './dates.ts';

// 2026-03-05 23:30 UTC: late evening in London, afternoon in New York, already the 6th in Tokyo.
const INSTANT = new Date('2026-03-05T23:30:00Z');

describe('dates in an explicit zone', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(INSTANT);
  });
  afterEach(() => vi.useRealTimers());

  it('formats the same instant by the zone, not the machine (UTC, negative and positive offsets)', () => {
    expect(formatDate(INSTANT, { timeZone: 'UTC', language: 'en' })).toBe('Mar 5, 2026');
    expect(formatTime(INSTANT, { timeZone: 'UTC', language: 'en' })).toBe('11:30 PM');
    expect(formatDateTime(INSTANT, { timeZone: 'America/New_York', language: 'en' })).toBe('Mar 5, 2026 6:30 PM');
    expect(formatDateTime(INSTANT, { timeZone: 'Asia/Tokyo', language: 'en' })).toBe('Mar 6, 2026 8:30 AM');
    expect(formatDateTime(INSTANT, { timeZone: 'Asia/Kolkata', language: 'en' })).toBe('Mar 6, 2026 5:00 AM');
  });

  it('writes dates the way each language does', () => {
    expect(formatDate(INSTANT, { timeZone: 'Europe/Berlin', language: 'de' })).toBe('6. März 2026');
    expect(formatTime(INSTANT, { timeZone: 'Europe/Berlin', language: 'de' })).toBe('00:30');
    expect(formatDate(INSTANT, { timeZone: 'UTC', language: 'fr' })).toBe('5 mars 2026');
    expect(formatDate(INSTANT, { timeZone: 'UTC', language: 'es' })).toBe('5 mar 2026');
    expect(formatDate(INSTANT, { timeZone: 'Asia/Shanghai', language: 'zh' })).toBe('2026-03-06');
  });

  it('accepts ISO strings from the database', () => {
    expect(formatDateTime('2026-03-05T23:30:00+00:00', { timeZone: 'UTC', language: 'en' })).toBe(
      'Mar 5, 2026 11:30 PM',
    );
  });

  it('names the offset, with a real minus sign', () => {
    expect(formatUtcOffset('UTC')).toBe('UTC+00:00');
    expect(formatUtcOffset('America/Sao_Paulo')).toBe('UTC−03:00');
    expect(formatUtcOffset('Asia/Kathmandu')).toBe('UTC+05:45');
  });

  it('counts "yesterday" and "today" by calendar days in the viewer’s zone', () => {
    const twoHoursAgo = new Date(INSTANT.getTime() - 2 * 3600_000); // 21:30 UTC on the 5th
    // In UTC and in New York both instants fall on the 5th: hours ago.
    expect(formatRelative(twoHoursAgo, { timeZone: 'UTC', language: 'en' })).toBe('2 hours ago');
    expect(formatRelative(twoHoursAgo, { timeZone: 'America/New_York', language: 'en' })).toBe('2 hours ago');
    // In Tokyo "now" is 08:30 on the 6th and two hours ago was 06:30 on the 6th: still today.
    expect(formatRelative(twoHoursAgo, { timeZone: 'Asia/Tokyo', language: 'en' })).toBe('2 hours ago');
    const fourHoursAgo = new Date(INSTANT.getTime() - 4 * 3600_000); // 19:30 UTC, 14:30 NY, 04:30 Tokyo on the 6th
    expect(formatRelative(fourHoursAgo, { timeZone: 'UTC', language: 'en' })).toBe('4 hours ago');
    // Berlin: now is 00:30 on the 6th, four hours ago was 20:30 on the 5th → yesterday.
    expect(formatRelative(fourHoursAgo, { timeZone: 'Europe/Berlin', language: 'en' })).toBe('yesterday');
    expect(formatRelative(fourHoursAgo, { timeZone: 'Europe/Berlin', language: 'de' })).toBe('gestern');
  });

  it('says seconds and minutes plainly, and falls back to a date after a week', () => {
    expect(formatRelative(new Date(INSTANT.getTime() - 20_000), { timeZone: 'UTC', language: 'en' })).toBe('now');
    expect(formatRelative(new Date(INSTANT.getTime() - 5 * 60_000), { timeZone: 'UTC', language: 'fr' })).toBe(
      'il y a 5 minutes',
    );
    expect(formatRelative(new Date(INSTANT.getTime() + 3 * 86_400_000), { timeZone: 'UTC', language: 'en' })).toBe(
      'in 3 days',
    );
    expect(formatRelative('2026-02-01T12:00:00Z', { timeZone: 'UTC', language: 'en' })).toBe('Feb 1, 2026');
  });

  it('lists IANA zones with UTC, and validates a zone name', () => {
    const zones = timeZones();
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/Berlin');
    expect(zones.length).toBeGreaterThan(300);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('calendar dates', () => {
  it('says which day an instant falls on in the zone', () => {
    expect(isoDateIn(INSTANT, 'UTC')).toBe('2026-03-05');
    expect(isoDateIn(INSTANT, 'America/New_York')).toBe('2026-03-05');
    expect(isoDateIn(INSTANT, 'Europe/Berlin')).toBe('2026-03-06');
    expect(isoDateIn(INSTANT, 'Asia/Tokyo')).toBe('2026-03-06');
  });

  it('writes a date-only value without shifting it a day', () => {
    expect(formatIsoDate('2026-03-06', 'en')).toBe('Mar 6, 2026');
    expect(formatIsoDate('2026-03-06', 'de', 'short')).toBe('6. März');
    // A month of a forecast or a cohort: the month and the year, never the year alone.
    expect(formatIsoDate('2027-01-01', 'en', 'month')).toBe('Jan 2027');
    expect(formatIsoDate('2027-02-01', 'de', 'month')).toBe('Feb. 2027');
    expect(formatIsoDate('2027-03-01', 'zh', 'month')).toBe('2027年3月');
    expect(formatIsoDate('2026-03-06', 'zh', 'short')).toBe('3月6日');
  });
});
