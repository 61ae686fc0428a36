import { describe, expect, it, vi } from 'vitest';

import { memoizeFormat, numberFormat } from './intl-cache.ts';

describe('intl-cache', () => {
  it('gives the same formatter for the same language and options, another for others', () => {
    const percent = numberFormat('de', { style: 'percent' });
    expect(numberFormat('de', { style: 'percent' })).toBe(percent);
    expect(numberFormat('fr', { style: 'percent' })).not.toBe(percent);
    expect(numberFormat('de', { style: 'percent', maximumFractionDigits: 1 })).not.toBe(percent);
    expect(percent.format(0.5)).toMatch(/^50\s%$/);
  });

  it('formats once per key, and forgets everything when full instead of growing', () => {
    const format = vi.fn((value: number) => `#${value}`);
    const remembered = memoizeFormat(format, (value) => String(value), 2);
    expect([remembered(1), remembered(1), remembered(2)]).toEqual(['#1', '#1', '#2']);
    expect(format).toHaveBeenCalledTimes(2);
    expect(remembered(3)).toBe('#3'); // full: emptied, then 3 kept
    expect(remembered(1)).toBe('#1');
    expect(format).toHaveBeenCalledTimes(4);
  });
});
