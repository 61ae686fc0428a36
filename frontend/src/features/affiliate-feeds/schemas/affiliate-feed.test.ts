import { describe, expect, it } from 'vitest';

import { csvCell } from '../api/affiliate-feeds.ts';
import { affiliateFeedSchema, parseFieldMap } from './affiliate-feed.ts';

describe('affiliate feed form', () => {
  it('reads field=column pairs and refuses unknown fields or malformed pairs', () => {
    expect(parseFieldMap('')).toEqual({});
    expect(parseFieldMap(' url = deeplink , title=Product Name ')).toEqual({ url: 'deeplink', title: 'Product Name' });
    expect(parseFieldMap('colour=c')).toBeNull();
    expect(parseFieldMap('url')).toBeNull();
    expect(parseFieldMap('url=')).toBeNull();
  });

  it('checks the values the database checks', () => {
    const valid = {
      network: ' Awin ',
      feed_url: 'https://x.example/f.csv',
      format: 'csv',
      interval_minutes: 60,
      field_map: '',
    };
    expect(affiliateFeedSchema.safeParse(valid)).toMatchObject({ success: true, data: { network: 'Awin' } });
    for (const bad of [
      { network: '' },
      { feed_url: 'ftp://x.example/f' },
      { feed_url: 'https://x.example/a b' },
      { interval_minutes: 5 },
      { interval_minutes: 10081 },
      { format: 'tsv' },
      { field_map: 'size=s' },
    ]) {
      expect(affiliateFeedSchema.safeParse({ ...valid, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('writes CSV cells a spreadsheet will not run as formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(12)).toBe('"12"');
    expect(csvCell(null)).toBe('""');
  });
});
