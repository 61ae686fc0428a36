/**
 * Segment rules as the builder edits them, and as the database compiles them
 * (private.segment_rules_sql, docs/database.md "Segments"). The field and operator lists mirror
 * the database's whitelist so the builder only offers what the database accepts; the database
 * stays the authority and names the condition when it refuses one.
 */

export const FIELD_TYPES = {
  country: 'text',
  region: 'text',
  language: 'text',
  currency: 'text',
  status: 'text',
  lifecycle_stage: 'text',
  source: 'text',
  rfm_group: 'text',
  churn_risk: 'text',
  owner: 'owner',
  custom_field: 'custom',
  tags: 'list',
  style_interests: 'list',
  favourite_brands: 'list',
  lifetime_value: 'number',
  order_count: 'number',
  average_order_value: 'number',
  refunded_total: 'number',
  inactive_days: 'number',
  created_at: 'date',
  first_order_at: 'date',
  last_order_at: 'date',
  ordered_brand: 'purchase',
  ordered_product: 'purchase',
  ordered_category: 'purchase',
  has_favourites: 'boolean',
  consent_newsletter: 'boolean',
  consent_marketing: 'boolean',
  consent_alerts: 'boolean',
  received_alert: 'event',
  opened_alert: 'event',
  clicked_alert: 'event',
  received_email: 'event',
  opened_email: 'event',
  clicked_email: 'event',
} as const;

export type Field = keyof typeof FIELD_TYPES;
export type FieldType = (typeof FIELD_TYPES)[Field];
export const FIELDS = Object.keys(FIELD_TYPES) as Field[];

/** What an operator's value looks like in the builder. */
export type ValueShape = 'none' | 'text' | 'texts' | 'number' | 'numbers' | 'date' | 'dates' | 'days' | 'boolean';

export const OPERATORS: Record<FieldType, Partial<Record<string, ValueShape>>> = {
  text: { eq: 'text', neq: 'text', in: 'texts', not_in: 'texts', is_set: 'none', is_not_set: 'none' },
  owner: { eq: 'text', neq: 'text', is_set: 'none', is_not_set: 'none' },
  custom: { eq: 'text', neq: 'text', is_set: 'none', is_not_set: 'none' },
  list: {
    contains_any: 'texts',
    contains_all: 'texts',
    contains_none: 'texts',
    is_empty: 'none',
    is_not_empty: 'none',
  },
  number: {
    gte: 'number',
    lte: 'number',
    gt: 'number',
    lt: 'number',
    eq: 'number',
    neq: 'number',
    between: 'numbers',
    top_percent: 'number',
  },
  date: {
    in_last_days: 'days',
    more_than_days_ago: 'days',
    this_month: 'none',
    before: 'date',
    after: 'date',
    between: 'dates',
    is_set: 'none',
    is_not_set: 'none',
  },
  purchase: { eq: 'text', neq: 'text' },
  boolean: { is: 'boolean' },
  event: { ever: 'none', never: 'none', in_last_days: 'days', not_in_last_days: 'days' },
};

/** The operators a field offers, in the order the builder lists them. */
export function operatorsFor(field: Field): string[] {
  const type = FIELD_TYPES[field];
  return Object.keys(OPERATORS[type]).filter((op) => op !== 'top_percent' || field === 'lifetime_value');
}

export function shapeOf(field: Field, op: string): ValueShape {
  return OPERATORS[FIELD_TYPES[field]][op] ?? 'none';
}

/** A condition as the builder holds it: values are what the person typed. */
export interface ConditionDraft {
  kind: 'condition';
  id: string;
  field: Field;
  op: string;
  /** One text for single values, two for ranges; a comma-separated list for lists. */
  value: [string, string];
  /** Purchases in the last N days (empty: ever). */
  days: string;
  /** The custom field's key. */
  key: string;
}

export interface GroupDraft {
  kind: 'group';
  id: string;
  match: 'all' | 'any';
  items: Array<ConditionDraft | GroupDraft>;
}

let nextId = 0;
const newId = () => `r${++nextId}`;

export function newCondition(field: Field = 'country'): ConditionDraft {
  const op = operatorsFor(field)[0] ?? 'eq';
  return { kind: 'condition', id: newId(), field, op, value: defaultValue(shapeOf(field, op)), days: '', key: '' };
}

export function newGroup(match: 'all' | 'any' = 'all', items: GroupDraft['items'] = []): GroupDraft {
  return { kind: 'group', id: newId(), match, items };
}

export function defaultValue(shape: ValueShape): [string, string] {
  if (shape === 'boolean') return ['true', ''];
  if (shape === 'days') return ['90', ''];
  return ['', ''];
}

/** Changes a condition's field or operator, keeping what still fits. */
export function withField(condition: ConditionDraft, field: Field): ConditionDraft {
  const ops = operatorsFor(field);
  const op = ops.includes(condition.op) ? condition.op : (ops[0] ?? 'eq');
  const sameShape = shapeOf(field, op) === shapeOf(condition.field, condition.op);
  return { ...condition, field, op, value: sameShape ? condition.value : defaultValue(shapeOf(field, op)) };
}

export function withOperator(condition: ConditionDraft, op: string): ConditionDraft {
  const sameShape = shapeOf(condition.field, op) === shapeOf(condition.field, condition.op);
  return { ...condition, op, value: sameShape ? condition.value : defaultValue(shapeOf(condition.field, op)) };
}

const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** A number as typed; NaN goes to the database as text, which refuses it at that condition. */
const numberOrText = (text: string): number | string =>
  text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

/** The JSON the database compiles. Nothing is checked here: the database says what is wrong. */
export function toRules(group: GroupDraft): Record<string, unknown> {
  return {
    match: group.match,
    conditions: group.items.map((item) => (item.kind === 'group' ? toRules(item) : conditionJson(item))),
  };
}

function conditionJson(condition: ConditionDraft): Record<string, unknown> {
  const json: Record<string, unknown> = { field: condition.field, op: condition.op };
  const [first, second] = condition.value;
  switch (shapeOf(condition.field, condition.op)) {
    case 'none':
      break;
    case 'text':
    case 'date':
      json.value = first.trim();
      break;
    case 'texts':
      json.value = list(first);
      break;
    case 'number':
    case 'days':
      json.value = numberOrText(first);
      break;
    case 'numbers':
      json.value = [numberOrText(first), numberOrText(second)];
      break;
    case 'dates':
      json.value = [first.trim(), second.trim()];
      break;
    case 'boolean':
      json.value = first === 'true';
      break;
  }
  if (FIELD_TYPES[condition.field] === 'purchase' && condition.days.trim() !== '') {
    json.days = numberOrText(condition.days);
  }
  if (FIELD_TYPES[condition.field] === 'custom') json.key = condition.key.trim();
  return json;
}

const isField = (value: unknown): value is Field => typeof value === 'string' && value in FIELD_TYPES;

/** Stored rules back into drafts; anything the builder does not know is dropped. */
export function fromRules(rules: unknown): GroupDraft {
  const source = (rules ?? {}) as { match?: unknown; conditions?: unknown };
  const items = Array.isArray(source.conditions) ? source.conditions : [];
  return newGroup(
    source.match === 'any' ? 'any' : 'all',
    items.flatMap((item: unknown): Array<ConditionDraft | GroupDraft> => {
      const entry = (item ?? {}) as Record<string, unknown>;
      if ('conditions' in entry) return [fromRules(entry)];
      if (!isField(entry.field) || typeof entry.op !== 'string') return [];
      const value = entry.value;
      const texts: [string, string] = Array.isArray(value)
        ? shapeOf(entry.field, entry.op) === 'texts'
          ? [value.join(', '), '']
          : [String(value[0] ?? ''), String(value[1] ?? '')]
        : [value === undefined ? '' : String(value), ''];
      return [
        {
          ...newCondition(entry.field),
          op: entry.op,
          value: texts,
          days: entry.days === undefined ? '' : String(entry.days),
          key: typeof entry.key === 'string' ? entry.key : '',
        },
      ];
    }),
  );
}

/** The draft at a 0-based path such as "1.0" (the database's error detail), for showing its error. */
export function idAtPath(group: GroupDraft, path: string): string | undefined {
  if (path === '') return group.id;
  let node: ConditionDraft | GroupDraft = group;
  for (const step of path.split('.')) {
    if (node.kind !== 'group') return undefined;
    const next: ConditionDraft | GroupDraft | undefined = node.items[Number(step)];
    if (!next) return undefined;
    node = next;
  }
  return node.id;
}

/** Replaces, or with `null` removes, the item with this id anywhere in the tree. */
export function updateItem(
  group: GroupDraft,
  id: string,
  change: (item: ConditionDraft | GroupDraft) => ConditionDraft | GroupDraft | null,
): GroupDraft {
  return {
    ...group,
    items: group.items.flatMap((item) => {
      if (item.id === id) {
        const changed = change(item);
        return changed ? [changed] : [];
      }
      return item.kind === 'group' ? [updateItem(item, id, change)] : [item];
    }),
  };
}

// ─── Presets ──────────────────────────────────────────────────────────────────────────────────

/** Shipped starting points; opening one fills the builder, where it can be changed and saved. */
export const PRESETS = {
  new_this_month: { match: 'all', conditions: [{ field: 'created_at', op: 'this_month' }] },
  repeat_buyers: { match: 'all', conditions: [{ field: 'order_count', op: 'gte', value: 2 }] },
  vip_top_ltv: { match: 'all', conditions: [{ field: 'lifetime_value', op: 'top_percent', value: 10 }] },
  at_risk: {
    match: 'all',
    conditions: [
      { field: 'order_count', op: 'gte', value: 2 },
      { field: 'last_order_at', op: 'more_than_days_ago', value: 90 },
      { field: 'last_order_at', op: 'in_last_days', value: 180 },
    ],
  },
  lapsed: {
    match: 'all',
    conditions: [
      { field: 'order_count', op: 'gte', value: 1 },
      { field: 'last_order_at', op: 'more_than_days_ago', value: 180 },
    ],
  },
  newsletter_by_style: {
    match: 'all',
    conditions: [
      { field: 'consent_newsletter', op: 'is', value: true },
      { field: 'style_interests', op: 'contains_any', value: ['sustainable'] },
    ],
  },
  never_ordered: { match: 'all', conditions: [{ field: 'order_count', op: 'eq', value: 0 }] },
  one_time_buyers: { match: 'all', conditions: [{ field: 'order_count', op: 'eq', value: 1 }] },
  rfm_champions: {
    match: 'all',
    conditions: [
      { field: 'last_order_at', op: 'in_last_days', value: 30 },
      { field: 'order_count', op: 'gte', value: 5 },
      { field: 'lifetime_value', op: 'top_percent', value: 20 },
    ],
  },
  rfm_loyal: {
    match: 'all',
    conditions: [
      { field: 'last_order_at', op: 'in_last_days', value: 90 },
      { field: 'order_count', op: 'gte', value: 3 },
    ],
  },
  rfm_hibernating: {
    match: 'all',
    conditions: [
      { field: 'order_count', op: 'between', value: [1, 2] },
      { field: 'last_order_at', op: 'more_than_days_ago', value: 365 },
    ],
  },
} as const;

export type PresetKey = keyof typeof PRESETS;
export const PRESET_KEYS = Object.keys(PRESETS) as PresetKey[];
