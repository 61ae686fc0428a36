import { describe, expect, it } from 'vitest';

import { clockOf } from './privacy-console.tsx';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const at = (hoursFromNow: number) => new Date(NOW + hoursFromNow * 3_600_000).toISOString();

describe('clockOf (a privacy request’s 30-day clock)', () => {
  it('counts a part day left as a day: a request made just now has 30', () => {
    expect(clockOf(at(30 * 24 - 0.01), NOW)).toEqual({ overdue: false, days: 30 });
    expect(clockOf(at(1), NOW)).toEqual({ overdue: false, days: 1 });
  });

  it('is overdue the moment the due time passes, by whole days and at least one', () => {
    expect(clockOf(at(-0.01), NOW)).toEqual({ overdue: true, days: 1 });
    expect(clockOf(at(-3 * 24 - 0.01), NOW)).toEqual({ overdue: true, days: 3 });
    expect(clockOf(at(-4 * 24 + 1), NOW)).toEqual({ overdue: true, days: 3 });
  });
});
