import { describe, expect, it } from 'vitest';

import { lastDays, parseRangeDays, summarise } from './revenue-range.ts';

// 23:30 UTC on 28 February 2026: still the 28th in New York, already 1 March in Berlin and Tokyo.
const NOW = new Date('2026-02-28T23:30:00Z');

describe('lastDays', () => {
  it("ends on the viewer's today, whatever the offset", () => {
    expect(lastDays(30, 'UTC', NOW)).toEqual({ from: '2026-01-30', to: '2026-02-28', timeZone: 'UTC' });
    expect(lastDays(30, 'America/New_York', NOW)).toMatchObject({ from: '2026-01-30', to: '2026-02-28' });
    expect(lastDays(30, 'Europe/Berlin', NOW)).toMatchObject({ from: '2026-01-31', to: '2026-03-01' });
    expect(lastDays(365, 'Asia/Tokyo', NOW)).toMatchObject({ from: '2025-03-02', to: '2026-03-01' });
  });

  it('counts calendar days across a daylight-saving change', () => {
    // Europe/Berlin moves to summer time on 29 March 2026: still 90 whole days.
    expect(lastDays(90, 'Europe/Berlin', new Date('2026-04-15T12:00:00Z'))).toMatchObject({
      from: '2026-01-16',
      to: '2026-04-15',
    });
  });
});

describe('parseRangeDays', () => {
  it('accepts the ranges on offer and falls back to 30 days', () => {
    expect(parseRangeDays('90')).toBe(90);
    expect(parseRangeDays('365')).toBe(365);
    expect(parseRangeDays('7')).toBe(30);
    expect(parseRangeDays(null)).toBe(30);
    expect(parseRangeDays('abc')).toBe(30);
  });
});

describe('summarise', () => {
  it('totals to the cent and finds the best day', () => {
    const days = [
      { day: '2026-02-26', revenue: 0.1, orders: 1 },
      { day: '2026-02-27', revenue: 0.2, orders: 2 },
      { day: '2026-02-28', revenue: 0, orders: 0 },
    ];
    expect(summarise(days)).toEqual({ revenue: 0.3, orders: 3, bestDay: days[1] });
    expect(summarise([{ day: '2026-02-28', revenue: 0, orders: 0 }]).bestDay).toBeNull();
  });
});
