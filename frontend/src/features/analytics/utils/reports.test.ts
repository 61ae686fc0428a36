import { describe, expect, it } from 'vitest';

import { csvCell, lastTwelveMonths, monthsIn, previousRange, rangeProblem, toCsv } from './reports.ts';

describe('report ranges', () => {
  it('compares with the period of the same length just before', () => {
    expect(previousRange({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-01-29', to: '2026-02-28' });
    expect(previousRange({ from: '2026-01-01', to: '2026-01-01' })).toEqual({ from: '2025-12-31', to: '2025-12-31' });
  });

  it('defaults to the last twelve months and counts months for cohorts', () => {
    expect(lastTwelveMonths('2026-12-07')).toEqual({ from: '2025-12-08', to: '2026-12-07' });
    expect(monthsIn({ from: '2025-01-15', to: '2026-12-01' })).toBe(24);
    expect(monthsIn({ from: '2010-01-01', to: '2026-12-01' })).toBe(60);
  });

  it('says what is wrong with a range before asking the database', () => {
    expect(rangeProblem({ from: '2026-02-01', to: '2026-01-01' })).toBe('backwards');
    expect(rangeProblem({ from: '2020-01-01', to: '2025-01-02' })).toBe('tooLong');
    expect(rangeProblem({ from: '2020-01-01', to: '2025-01-01' })).toBeNull();
    expect(rangeProblem({ from: '', to: '2025-01-01' })).toBe('missing');
  });
});

describe('report CSV', () => {
  it('quotes and defuses cells a spreadsheet would run, keeps negative numbers as numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe(`"'-1+2"`);
    expect(csvCell('-15.5')).toBe('-15.5');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['Country', 'Revenue'], [['DE', 140]])).toBe('Country,Revenue\r\nDE,140\r\n');
  });
});
