import { describe, expect, it } from 'vitest';

import { afterCursorFilter, orderTerms, reverseTerms } from './keyset.ts';

const id = '6f1c3a52-8d0e-4d7b-9a51-2c5f0e9b1d44';

describe('orderTerms', () => {
  it('uses the index order for the default direction and exactly its reverse for the other', () => {
    expect(orderTerms('ltv', 'desc')).toEqual([
      { column: 'lifetime_value', ascending: false, nullsFirst: true },
      { column: 'id', ascending: true, nullsFirst: false },
    ]);
    expect(orderTerms('ltv', 'asc')).toEqual([
      { column: 'lifetime_value', ascending: true, nullsFirst: false },
      { column: 'id', ascending: false, nullsFirst: true },
    ]);
    expect(orderTerms('name', 'asc')[0]).toEqual({ column: 'full_name', ascending: true, nullsFirst: false });
    expect(orderTerms('last_order', 'desc')[0]).toEqual({
      column: 'last_order_at',
      ascending: false,
      nullsFirst: false,
    });
  });

  it('reverses to read a previous page backwards', () => {
    expect(reverseTerms(orderTerms('name', 'asc'))).toEqual(orderTerms('name', 'desc'));
  });
});

describe('afterCursorFilter', () => {
  it('continues after a value, then on ties by id', () => {
    expect(afterCursorFilter(orderTerms('ltv', 'desc'), { value: 120.5, id })).toBe(
      `lifetime_value.lt."120.5",and(lifetime_value.eq."120.5",id.gt."${id}")`,
    );
  });

  it('reaches the null block at the end when nulls sort last', () => {
    expect(afterCursorFilter(orderTerms('last_order', 'desc'), { value: '2026-03-01T10:00:00+00:00', id })).toBe(
      `last_order_at.lt."2026-03-01T10:00:00+00:00",and(last_order_at.eq."2026-03-01T10:00:00+00:00",id.gt."${id}"),last_order_at.is.null`,
    );
  });

  it('inside the null block: later nulls by id, then every value when nulls come first', () => {
    expect(afterCursorFilter(orderTerms('last_order', 'desc'), { value: null, id })).toBe(
      `and(last_order_at.is.null,id.gt."${id}")`,
    );
    expect(afterCursorFilter(orderTerms('name', 'desc'), { value: null, id })).toBe(
      `and(full_name.is.null,id.lt."${id}"),full_name.not.is.null`,
    );
  });

  it('quotes values so commas, parentheses and quotes stay literal', () => {
    expect(afterCursorFilter(orderTerms('name', 'asc'), { value: 'O"Brien, (Jr)', id })).toContain(
      'full_name.gt."O\\"Brien, (Jr)"',
    );
  });
});
