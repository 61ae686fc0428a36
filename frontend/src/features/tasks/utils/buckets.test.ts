import { describe, expect, it } from 'vitest';

import { bucketOf, dayBounds, snoozeTimes } from './buckets.ts';

describe('dayBounds', () => {
  it("gives today's start and end in the viewer's zone", () => {
    const now = new Date('2026-12-07T23:30:00Z');
    expect(dayBounds('UTC', now)).toEqual({
      startOfToday: '2026-12-07T00:00:00.000Z',
      startOfTomorrow: '2026-12-08T00:00:00.000Z',
    });
    // Already the 8th in Tokyo (UTC+9).
    expect(dayBounds('Asia/Tokyo', now)).toEqual({
      startOfToday: '2026-12-07T15:00:00.000Z',
      startOfTomorrow: '2026-12-08T15:00:00.000Z',
    });
  });

  it('handles a daylight-saving day of 23 hours', () => {
    const bounds = dayBounds('Europe/Berlin', new Date('2027-03-28T12:00:00Z'));
    expect(new Date(bounds.startOfTomorrow).getTime() - new Date(bounds.startOfToday).getTime()).toBe(23 * 3600_000);
  });
});

describe('bucketOf', () => {
  const bounds = dayBounds('UTC', new Date('2026-12-07T12:00:00Z'));
  it.each([
    [{ due_at: '2026-12-06T23:59:00Z', completed_at: null }, 'overdue'],
    [{ due_at: '2026-12-07T00:00:00Z', completed_at: null }, 'today'],
    [{ due_at: '2026-12-07T23:59:00Z', completed_at: null }, 'today'],
    [{ due_at: '2026-12-08T00:00:00Z', completed_at: null }, 'upcoming'],
    [{ due_at: null, completed_at: null }, 'upcoming'],
    [{ due_at: '2026-12-01T00:00:00Z', completed_at: '2026-12-02T00:00:00Z' }, 'done'],
  ] as const)('%o is %s', (task, bucket) => {
    expect(bucketOf(task, bounds)).toBe(bucket);
  });
});

describe('snoozeTimes', () => {
  it('offers an hour from now and tomorrow 09:00 in the zone', () => {
    expect(snoozeTimes('Europe/Berlin', new Date('2026-12-07T12:00:00Z'))).toEqual({
      hour: '2026-12-07T13:00:00.000Z',
      tomorrowMorning: '2026-12-08T08:00:00.000Z',
    });
  });
});
