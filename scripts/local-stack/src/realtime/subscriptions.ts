/**
 * `postgres_changes` subscription parameters as Realtime parses them
 * (Extensions.PostgresCdcRls.Subscriptions.parse_subscription_params): event, schema,
 * table, a PostgREST-style filter and an optional column selection.
 */

export type ChangeEvent = 'INSERT' | 'UPDATE' | 'DELETE';

export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'like',
  'ilike',
  'is',
  'match',
  'imatch',
  'isdistinct',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface Filter {
  column: string;
  op: FilterOperator;
  /** For `in`, a Postgres array literal (`{a,b}`), as Realtime stores it. */
  value: string;
  negate: boolean;
}

export interface SubscriptionParams {
  action: '*' | ChangeEvent;
  schema: string;
  table: string;
  filters: Filter[];
  select: string[] | null;
}

export class SubscriptionParamsError extends Error {}

function actionOf(event: unknown): SubscriptionParams['action'] {
  if (typeof event !== 'string') return '*';
  const upper = event.toUpperCase();
  return upper === 'INSERT' || upper === 'UPDATE' || upper === 'DELETE' ? upper : '*';
}

function parseSelect(params: Record<string, unknown>): string[] | null {
  const select = params.select;
  if (select === undefined || select === null) return null;
  if (typeof select === 'string') {
    throw new SubscriptionParamsError(
      'Error parsing `select` params: expected a list of column name strings, e.g. select: ["col1", "col2"]',
    );
  }
  if (!Array.isArray(select)) return null;
  const columns = select.filter((column): column is string => typeof column === 'string');
  return columns.length ? columns : null;
}

export function parseSubscriptionParams(raw: unknown): SubscriptionParams {
  const params = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const action = actionOf(params.event);
  const select = parseSelect(params);
  const has = (key: string) => key in params;
  const { schema, table, filter } = params;
  let parsed: SubscriptionParams;
  if (typeof schema === 'string' && typeof table === 'string' && typeof filter === 'string') {
    parsed = { action, schema, table, filters: parseFilters(filter), select };
  } else if (typeof schema === 'string' && typeof table === 'string' && !has('filter')) {
    parsed = { action, schema, table, filters: [], select };
  } else if (typeof schema === 'string' && !has('table') && !has('filter')) {
    parsed = { action, schema, table: '*', filters: [], select };
  } else if (typeof table === 'string' && !has('schema') && !has('filter')) {
    parsed = { action, schema: 'public', table, filters: [], select };
  } else {
    throw new SubscriptionParamsError(
      `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${JSON.stringify(params)}`,
    );
  }
  if (parsed.select && (parsed.schema === '*' || parsed.table === '*')) {
    throw new SubscriptionParamsError(
      'Column selection is not supported for wildcard subscriptions. Provide an explicit schema and table name.',
    );
  }
  return parsed;
}

export function parseFilters(filter: string): Filter[] {
  const trimmed = filter.trim();
  if (trimmed === '') return [];
  return splitTopLevel(trimmed).map(parseSegment);
}

/** Splits on commas outside parentheses and double quotes (`a=in.(1,2),b=eq."x,y"`). */
function splitTopLevel(filter: string): string[] {
  const segments: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  let previous = '';
  for (let i = 0; i < filter.length; i++) {
    const char = filter[i];
    if (quoted) {
      if (char === '\\' && i + 1 < filter.length) {
        current += char + filter[++i];
        continue;
      }
      if (char === '"') quoted = false;
      current += char;
    } else if (char === '"' && ['.', '(', ','].includes(previous)) {
      quoted = true;
      current += char;
    } else if (char === '(') {
      depth++;
      current += char;
    } else if (char === ')') {
      depth = Math.max(0, depth - 1);
      current += char;
    } else if (char === ',' && depth === 0) {
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
    previous = char;
  }
  segments.push(current);
  return segments;
}

function parseSegment(segment: string): Filter {
  const trimmed = segment.trim();
  if (trimmed === '')
    throw new SubscriptionParamsError(
      'Error parsing `filter` params: filter must not contain empty segments (check for extra commas)',
    );
  const equals = trimmed.indexOf('=');
  if (equals < 0) throw new SubscriptionParamsError(`Error parsing \`filter\` params: ["${trimmed}"]`);
  const column = trimmed.slice(0, equals);
  let rest = trimmed.slice(equals + 1);
  const negate = rest.startsWith('not.');
  if (negate) rest = rest.slice(4);
  const dot = rest.indexOf('.');
  if (dot < 0) throw new SubscriptionParamsError(`Error parsing \`filter\` params: ["${rest}"]`);
  const op = rest.slice(0, dot);
  const value = rest.slice(dot + 1);
  if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
    throw new SubscriptionParamsError(`Error parsing \`filter\` params: ["${op}", "${value}"]`);
  }
  if (op === 'in') {
    if (!(value.length >= 2 && value.startsWith('(') && value.endsWith(')'))) {
      throw new SubscriptionParamsError(
        'Error parsing `filter` params: `in` filter value must be wrapped by parentheses',
      );
    }
    return { column, op, value: `{${value.slice(1, -1)}}`, negate };
  }
  return { column, op: op as FilterOperator, value: unquote(value), negate };
}

/** `"a,b"` → `a,b` (PostgREST quoting, backslash escapes); anything malformed stays as sent. */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  let result = '';
  for (let i = 1; i < value.length; i++) {
    const char = value[i];
    if (char === '\\' && i + 1 < value.length) {
      result += value[++i];
    } else if (char === '"') {
      return i === value.length - 1 ? result : value;
    } else {
      result += char;
    }
  }
  return value;
}

/**
 * The integer id the join reply adds to each params map. Realtime uses `:erlang.phash2(params)`
 * (0 ≤ id < 2^27); clients only need it stable and equal between the reply and the events,
 * so a 27-bit FNV-1a hash of the canonical JSON serves.
 */
export function subscriptionId(params: unknown): number {
  let hash = 0x811c9dc5;
  for (const char of canonicalJson(params)) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7ffffff;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
