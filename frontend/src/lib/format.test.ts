import { describe, expect, it } from 'vitest';

import { formatChange, formatCompact, formatCompactMoney, formatMoney, formatNumber, formatPercent } from './format.ts';

// Intl uses narrow no-break spaces in some locales; compare with plain spaces for readability.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers and money through Intl', () => {
  it('groups digits by language', () => {
    expect(formatNumber(1234567.891, 'en')).toBe('1,234,567.891');
    expect(formatNumber(1234567.891, 'de')).toBe('1.234.567,891');
    expect(plain(formatNumber(1234567.891, 'fr'))).toBe('1 234 567,891');
  });

  it('lets the currency decide the decimals and the symbol', () => {
    expect(formatMoney(1234.5, 'EUR', 'de')).toMatch(/^1\.234,50\s€$/);
    expect(formatMoney(1234.5, 'USD', 'en')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'JPY', 'en')).toBe('¥1,235');
    expect(formatMoney(1.2345, 'KWD', 'en')).toBe('KWD 1.235'.replace(' ', '\u00a0'));
    expect(formatMoney(99, 'CNY', 'zh')).toBe('¥99.00');
  });

  it('compacts large figures and writes percentages', () => {
    expect(formatCompact(12_345, 'en')).toBe('12.3K');
    expect(formatCompact(123_456, 'zh')).toBe('12.3万');
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
    expect(plain(formatPercent(0.125, 'fr'))).toBe('12,5 %');
  });
});

describe('compact money', () => {
  it('keeps the currency on short axis labels', () => {
    expect(formatCompactMoney(12_345, 'EUR', 'en')).toBe('€12.3K');
    expect(plain(formatCompactMoney(1_250_000, 'EUR', 'de'))).toBe('1,3 Mio. €');
  });
});

describe('changes between periods', () => {
  it('always shows the sign, with a decimal only for small changes', () => {
    expect(formatChange(0.125, 'en')).toBe('+13%');
    expect(formatChange(-0.034, 'en')).toBe('-3.4%');
    expect(formatChange(0, 'en')).toBe('0%');
    expect(plain(formatChange(0.034, 'fr'))).toBe('+3,4 %');
  });
});
