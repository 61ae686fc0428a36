import { describe, expect, it } from 'vitest';

import { orderNumberCandidates } from './order-number.ts';

describe('orderNumberCandidates', () => {
  it('tries a Shopify number with and without its #', () => {
    expect(orderNumberCandidates('1042')).toEqual(['1042', '#1042']);
    expect(orderNumberCandidates(' #1042 ')).toEqual(['#1042', '1042']);
  });

  it('tries manual numbers in upper case', () => {
    expect(orderNumberCandidates('m-000123')).toEqual(['m-000123', '#m-000123', 'M-000123', '#M-000123']);
  });

  it('has nothing to try for an empty search', () => {
    expect(orderNumberCandidates('   ')).toEqual([]);
    expect(orderNumberCandidates('#')).toEqual(['#']);
  });
});
