import { describe, expect, it } from 'vitest';

import { highlightParts, looksLikeOrderNumber } from './highlight.ts';

describe('highlightParts', () => {
  it('marks every occurrence, whatever the case', () => {
    expect(highlightParts('Ada Adams', 'ad')).toEqual([
      { text: 'Ad', match: true },
      { text: 'a ', match: false },
      { text: 'Ad', match: true },
      { text: 'ams', match: false },
    ]);
  });

  it('takes the query literally and ignores a leading #', () => {
    expect(highlightParts('a+b (c)', '+b (')).toEqual([
      { text: 'a', match: false },
      { text: '+b (', match: true },
      { text: 'c)', match: false },
    ]);
    expect(highlightParts('#1001', '#10')).toEqual([
      { text: '#', match: false },
      { text: '10', match: true },
      { text: '01', match: false },
    ]);
  });

  it('leaves the text whole when there is nothing to mark', () => {
    expect(highlightParts('Zoë', 'xy')).toEqual([{ text: 'Zoë', match: false }]);
    expect(highlightParts('Zoë', '  ')).toEqual([{ text: 'Zoë', match: false }]);
  });
});

describe('looksLikeOrderNumber', () => {
  it('recognises Shopify and manual order numbers, not names', () => {
    expect(looksLikeOrderNumber('#10')).toBe(true);
    expect(looksLikeOrderNumber('1001')).toBe(true);
    expect(looksLikeOrderNumber('M-0004')).toBe(true);
    expect(looksLikeOrderNumber('ada')).toBe(false);
    expect(looksLikeOrderNumber('ada@example.com')).toBe(false);
  });
});
