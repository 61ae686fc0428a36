import { describe, expect, it } from 'vitest';

import { groupByDay, relativeDay, safeLink } from './group.ts';

describe('groupByDay', () => {
  it('groups by the calendar day in the viewer zone, keeping the order', () => {
    const items = [
      { id: 'a', created_at: '2026-12-07T01:30:00Z' },
      { id: 'b', created_at: '2026-12-06T23:30:00Z' },
      { id: 'c', created_at: '2026-12-06T10:00:00Z' },
    ];
    expect(groupByDay(items, 'UTC').map((group) => [group.day, group.items.map((item) => item.id)])).toEqual([
      ['2026-12-07', ['a']],
      ['2026-12-06', ['b', 'c']],
    ]);
    // In Berlin (UTC+1) 23:30 UTC on the 6th is already the 7th.
    expect(groupByDay(items, 'Europe/Berlin').map((group) => [group.day, group.items.map((item) => item.id)])).toEqual([
      ['2026-12-07', ['a', 'b']],
      ['2026-12-06', ['c']],
    ]);
  });
});

describe('relativeDay', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  it('names today and yesterday, nothing older', () => {
    expect(relativeDay('2026-12-07', 'UTC', now)).toBe('today');
    expect(relativeDay('2026-12-06', 'UTC', now)).toBe('yesterday');
    expect(relativeDay('2026-12-05', 'UTC', now)).toBeNull();
  });
});

describe('safeLink', () => {
  it('keeps in-app paths and drops anything else', () => {
    expect(safeLink('/customers/1?activity=2')).toBe('/customers/1?activity=2');
    expect(safeLink('//evil.example')).toBeNull();
    expect(safeLink('https://evil.example')).toBeNull();
    expect(safeLink('/\\evil.example')).toBeNull();
    expect(safeLink(null)).toBeNull();
  });
});
