import { describe, expect, it } from 'vitest';

import { problemsOf } from './customer-errors.ts';

describe('problemsOf', () => {
  it('puts a refused custom field value next to that field, in words', () => {
    expect(
      problemsOf({ code: '23514', message: 'custom field "loyalty_tier" must be one of: bronze, silver, gold' }),
    ).toEqual([{ field: 'customFields.loyalty_tier', message: 'customers:customFieldErrors.notAnOption' }]);
    expect(problemsOf({ code: '23514', message: 'custom field "birthday" must be a date (YYYY-MM-DD)' })).toEqual([
      { field: 'customFields.birthday', message: 'customers:customFieldErrors.notADate' },
    ]);
  });

  it('names every missing required field', () => {
    expect(problemsOf({ code: '23514', message: 'custom fields "a", "b_2" are required' })).toEqual([
      { field: 'customFields.a', message: 'customers:customFieldErrors.required' },
      { field: 'customFields.b_2', message: 'customers:customFieldErrors.required' },
    ]);
    expect(problemsOf({ code: '23514', message: 'custom field "vip_since" is required' })).toEqual([
      { field: 'customFields.vip_since', message: 'customers:customFieldErrors.required' },
    ]);
  });

  it('recognises a duplicate email and a refused write', () => {
    expect(
      problemsOf({ code: '23505', message: 'duplicate key value violates unique constraint "customers_email_key"' }),
    ).toEqual([{ field: 'email', message: 'customers:validation.emailTaken' }]);
    // What the database says to team members since review L-7 (no owner, no record named).
    expect(
      problemsOf({
        code: '23505',
        message: 'a customer with this email address already exists',
        hint: 'Ask a manager to find that customer or to share it with you.',
      }),
    ).toEqual([{ field: 'email', message: 'customers:validation.emailTaken' }]);
    expect(problemsOf({ code: '42501', message: 'new row violates row-level security policy' })).toEqual([
      { field: null, message: 'customers:form.notAllowed' },
    ]);
  });

  it('falls back to a general message, never the raw one', () => {
    expect(problemsOf(new Error('fetch failed'))).toEqual([{ field: null, message: 'customers:form.saveFailed' }]);
  });
});
