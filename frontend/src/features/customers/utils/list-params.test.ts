import { describe, expect, it } from 'vitest';

import {
  hasActiveFilters,
  paramsFromViewState,
  parseListParams,
  serializeListParams,
  viewStateOf,
} from './list-params.ts';

const tag = '0b6a4f7e-3c1d-4e2f-8a9b-1c2d3e4f5a6b';
const id = '6f1c3a52-8d0e-4d7b-9a51-2c5f0e9b1d44';

describe('list params in the URL', () => {
  it('defaults to every customer by lifetime value, biggest first', () => {
    const params = parseListParams(new URLSearchParams());
    expect(params).toEqual({ q: '', sort: 'ltv', dir: 'desc' });
    expect(hasActiveFilters(params)).toBe(false);
    expect(serializeListParams(params).toString()).toBe('');
  });

  it('round-trips search, filters, sort and cursor', () => {
    const search = new URLSearchParams({
      q: 'anna',
      status: 'vip',
      stage: 'at_risk',
      country: 'DE',
      tag,
      owner: 'none',
      consent: 'granted',
      sort: 'name',
      dir: 'desc',
      after: JSON.stringify(['Anna', id]),
    });
    const params = parseListParams(search);
    expect(params).toMatchObject({ q: 'anna', status: 'vip', country: 'DE', owner: 'none', sort: 'name', dir: 'desc' });
    expect(params.after).toEqual({ value: 'Anna', id });
    expect(parseListParams(serializeListParams(params))).toEqual(params);
  });

  it('drops what it does not understand instead of failing', () => {
    const params = parseListParams(
      new URLSearchParams({ status: 'gold', country: 'Germany', tag: 'x', sort: 'rank', after: '{oops' }),
    );
    expect(params).toEqual({ q: '', sort: 'ltv', dir: 'desc' });
  });

  it('keeps a saved view without the page position', () => {
    const params = parseListParams(new URLSearchParams({ status: 'vip', after: JSON.stringify([10, id]) }));
    const state = viewStateOf(params);
    expect(state).toEqual({ status: 'vip' });
    expect(paramsFromViewState(state)).toEqual({ q: '', sort: 'ltv', dir: 'desc', status: 'vip' });
    expect(paramsFromViewState('nonsense')).toEqual({ q: '', sort: 'ltv', dir: 'desc' });
  });
});
