import { afterEach, describe, expect, it } from 'vitest';

import { MAX_KNOWN_SHOPS, readKnownShops, rememberShops } from './known-shops.ts';

const SHOP = '4e2f5169-cc51-4848-b601-66c70d38fc8f';
const OTHER = '78fac8b2-69e4-4ec1-9342-37ff28bd9f0d';

afterEach(() => window.localStorage.clear());

describe('known shops', () => {
  it('keeps the stores per member in this browser', () => {
    expect(readKnownShops('u1')).toEqual([]);
    rememberShops('u1', [SHOP, OTHER]);
    expect(readKnownShops('u1')).toEqual([SHOP, OTHER]);
    expect(readKnownShops('u2')).toEqual([]);
  });

  it('ignores what is not a list of store ids, and keeps at most a few', () => {
    window.localStorage.setItem('cairn:integrations-shops:u1', '{"not":"a list"}');
    expect(readKnownShops('u1')).toEqual([]);
    window.localStorage.setItem('cairn:integrations-shops:u1', `["${SHOP}", 42, "x'); drop", null]`);
    expect(readKnownShops('u1')).toEqual([SHOP]);
    window.localStorage.setItem('cairn:integrations-shops:u1', 'not json');
    expect(readKnownShops('u1')).toEqual([]);
    rememberShops(
      'u1',
      Array.from({ length: MAX_KNOWN_SHOPS + 5 }, () => SHOP),
    );
    expect(readKnownShops('u1')).toHaveLength(MAX_KNOWN_SHOPS);
  });
});
