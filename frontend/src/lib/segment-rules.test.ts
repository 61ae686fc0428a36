import { describe, expect, it } from 'vitest';

import {
  FIELDS,
  fromRules,
  idAtPath,
  newCondition,
  newGroup,
  operatorsFor,
  PRESETS,
  PRESET_KEYS,
  toRules,
  updateItem,
  withField,
  withOperator,
} from './segment-rules.ts';

describe('segment rules in the builder', () => {
  it('turns typed values into the JSON the database compiles, by the operator’s shape', () => {
    const group = newGroup('any', [
      { ...newCondition('country'), op: 'in', value: ['DE, FR ,, ES', ''] },
      { ...newCondition('order_count'), op: 'between', value: ['2', '5'] },
      { ...newCondition('consent_newsletter'), value: ['false', ''] },
      { ...newCondition('ordered_brand'), op: 'eq', value: ['Acme', ''], days: '30' },
      { ...newCondition('created_at'), op: 'this_month' },
      newGroup('all', [{ ...newCondition('custom_field'), key: 'shoe_size', value: ['41', ''] }]),
    ]);
    expect(toRules(group)).toEqual({
      match: 'any',
      conditions: [
        { field: 'country', op: 'in', value: ['DE', 'FR', 'ES'] },
        { field: 'order_count', op: 'between', value: [2, 5] },
        { field: 'consent_newsletter', op: 'is', value: false },
        { field: 'ordered_brand', op: 'eq', value: 'Acme', days: 30 },
        { field: 'created_at', op: 'this_month' },
        { match: 'all', conditions: [{ field: 'custom_field', op: 'eq', value: '41', key: 'shoe_size' }] },
      ],
    });
  });

  it('sends a number it cannot read as text, so the database refuses it at that condition', () => {
    const group = newGroup('all', [{ ...newCondition('lifetime_value'), op: 'gte', value: ['12abc', ''] }]);
    expect(toRules(group).conditions).toEqual([{ field: 'lifetime_value', op: 'gte', value: '12abc' }]);
  });

  it('reads every preset back into the same JSON', () => {
    for (const key of PRESET_KEYS) expect(toRules(fromRules(PRESETS[key])), key).toEqual(PRESETS[key]);
  });

  it('finds the condition the database names by its 0-based path', () => {
    const inner = newCondition('tags');
    const group = newGroup('all', [newCondition(), newGroup('any', [newCondition(), inner])]);
    expect(idAtPath(group, '1.1')).toBe(inner.id);
    expect(idAtPath(group, '')).toBe(group.id);
    expect(idAtPath(group, '5')).toBeUndefined();
    expect(updateItem(group, inner.id, () => null).items[1]).toMatchObject({ items: [expect.anything()] });
  });

  it('keeps the operator and value when they still fit a new field, resets them when not', () => {
    const condition = { ...newCondition('country'), value: ['DE', ''] as [string, string] };
    expect(withField(condition, 'region')).toMatchObject({ field: 'region', op: 'eq', value: ['DE', ''] });
    expect(withField(condition, 'order_count')).toMatchObject({ field: 'order_count', op: 'eq', value: ['', ''] });
    expect(withField(condition, 'tags')).toMatchObject({ field: 'tags', op: 'contains_any', value: ['', ''] });
    expect(withOperator(condition, 'is_set').value).toEqual(['', '']);
    expect(operatorsFor('order_count')).not.toContain('top_percent');
    expect(operatorsFor('lifetime_value')).toContain('top_percent');
    expect(FIELDS).toHaveLength(35);
  });
});
