import { describe, expect, it } from 'vitest';

import { readParams, writeParams } from './filters.ts';

const OWNER = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('pipeline URL params', () => {
  it('round-trip the filters and the view', () => {
    const search = new URLSearchParams(`owner=${OWNER}&min=100&max=5000.5&from=2027-01-01&to=2027-03-31&view=list`);
    const params = readParams(search);
    expect(params).toEqual({
      pipeline: null,
      view: 'list',
      filters: {
        owner: OWNER,
        customer: null,
        minAmount: 100,
        maxAmount: 5000.5,
        closeFrom: '2027-01-01',
        closeTo: '2027-03-31',
      },
    });
    expect(readParams(writeParams(params))).toEqual(params);
  });

  it('ignore malformed values instead of failing', () => {
    const params = readParams(new URLSearchParams('owner=me&min=-3&max=lots&from=2027-13-45&view=grid&pipeline=1'));
    expect(params).toEqual({
      pipeline: null,
      view: 'board',
      filters: { owner: null, customer: null, minAmount: null, maxAmount: null, closeFrom: null, closeTo: null },
    });
  });

  it('leave defaults out of the URL and keep unrelated params', () => {
    const written = writeParams(readParams(new URLSearchParams('')), new URLSearchParams('deal=x'));
    expect(written.toString()).toBe('deal=x');
  });
});
