import { describe, expect, it } from 'vitest';

import { dealSchema, toDealWrite } from './deal.ts';

const valid = {
  title: 'Wholesale order',
  customerId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  stageId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  amount: '1200,50',
  currency: 'eur',
  probability: '',
  expectedClose: '2027-01-31',
  ownerId: '',
  notes: '  ',
};

describe('dealSchema', () => {
  it('accepts a deal and turns it into the row', () => {
    const parsed = dealSchema.parse(valid);
    expect(toDealWrite(parsed)).toEqual({
      title: 'Wholesale order',
      customer_id: valid.customerId,
      stage_id: valid.stageId,
      amount: 1200.5,
      currency: 'EUR',
      probability: null,
      expected_close: '2027-01-31',
      owner_id: null,
      notes: null,
    });
  });

  it.each([
    ['an empty title', { title: '  ' }, 'deal.errors.titleRequired'],
    ['no customer', { customerId: '' }, 'deal.errors.customerRequired'],
    ['a negative amount', { amount: '-1' }, 'deal.errors.amountInvalid'],
    ['an amount that is not a number', { amount: 'lots' }, 'deal.errors.amountInvalid'],
    ['a probability over 100', { probability: '101' }, 'deal.errors.probabilityInvalid'],
    ['a malformed date', { expectedClose: 'soon' }, 'deal.errors.dateInvalid'],
  ])('refuses %s with a message key', (_, change, message) => {
    const result = dealSchema.safeParse({ ...valid, ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});
