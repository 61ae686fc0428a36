/**
 * Runs a parsed GraphQL operation against GraphQL objects (shop-data.ts) the way the Admin API
 * answers: unknown fields are errors with `extensions.code: "undefinedField"` and no data,
 * connections need `first` or `last` (at most 250) and answer `edges { cursor node }`, `nodes`
 * and `pageInfo`, and the query's cost is measured for the throttle (`extensions.cost`).
 */
import type { ConnectionSource, GraphObject, GraphValue } from './shop-data.ts';
import { resolveValue, type Field, type Location, type Selection } from './graphql.ts';

export interface GraphError {
  message: string;
  locations?: Location[];
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export class ExecutionAbort extends Error {
  constructor(readonly errors: GraphError[]) {
    super(errors[0]?.message ?? 'error');
  }
}

export const MAX_PAGE = 250;

const isConnection = (value: unknown): value is ConnectionSource =>
  typeof value === 'object' && value !== null && (value as ConnectionSource).__connection === true;

export interface Execution {
  variables: Record<string, unknown>;
  /** Objects actually returned, plus two per connection: the query's actual cost. */
  cost: number;
  errors: GraphError[];
}

export const encodeCursor = (index: number) =>
  Buffer.from(JSON.stringify({ last_id: index, last_value: index })).toString('base64');
function decodeCursor(cursor: unknown): number | null {
  if (typeof cursor !== 'string') return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_id?: unknown };
    return typeof parsed.last_id === 'number' ? parsed.last_id : null;
  } catch {
    return null;
  }
}

/** The fields chosen for an object of `typename`, inline fragments flattened. */
export function fieldsFor(selections: Selection[], typename: string): Field[] {
  const out: Field[] = [];
  for (const selection of selections) {
    if (selection.kind === 'field') out.push(selection);
    else if (selection.typeCondition === null || selection.typeCondition === typename)
      out.push(...fieldsFor(selection.selections, typename));
  }
  return out;
}

export function argsOf(field: Field, variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(field.args).map(([key, value]) => [key, resolveValue(value, variables)]));
}

export function undefinedField(field: Field, typename: string, path: Array<string | number>): GraphError {
  return {
    message: `Field '${field.name}' doesn't exist on type '${typename}'`,
    locations: [field.location],
    path,
    extensions: { code: 'undefinedField', typeName: typename, fieldName: field.name },
  };
}

/** Resolves `selections` on `object`; an undefined field aborts the whole operation (validation). */
export function resolveObject(
  object: GraphObject,
  selections: Selection[],
  run: Execution,
  path: Array<string | number>,
): Record<string, unknown> {
  run.cost += 1;
  const out: Record<string, unknown> = {};
  for (const field of fieldsFor(selections, object.__typename)) {
    if (field.name === '__typename') {
      out[field.alias] = object.__typename;
      continue;
    }
    if (!(field.name in object))
      throw new ExecutionAbort([undefinedField(field, object.__typename, [...path, field.alias])]);
    const raw = object[field.name];
    const value = typeof raw === 'function' ? raw(argsOf(field, run.variables)) : raw;
    out[field.alias] = resolveValue_(value, field, run, [...path, field.alias]);
  }
  return out;
}

function resolveValue_(value: GraphValue, field: Field, run: Execution, path: Array<string | number>): unknown {
  if (value === null || value === undefined) return null;
  if (isConnection(value)) return resolveConnection(value, field, run, path);
  if (Array.isArray(value)) return value.map((item, index) => resolveValue_(item, field, run, [...path, index]));
  if (value !== null && typeof value === 'object') {
    if (field.selections.length === 0)
      throw new ExecutionAbort([
        {
          message: `Field must have selections (field '${field.name}' returns ${value.__typename} but has no selections. Did you mean '${field.name} { ... }'?)`,
          locations: [field.location],
          path,
          extensions: { code: 'selectionMismatch', nodeName: `field '${field.name}'`, typeName: value.__typename },
        },
      ]);
    return resolveObject(value, field.selections, run, path);
  }
  if (field.selections.length > 0)
    throw new ExecutionAbort([
      {
        message: `Selections can't be made on scalars (field '${field.name}' returns a scalar but has selections [${field.selections
          .map((s) => (s.kind === 'field' ? s.name : '...'))
          .join(', ')}])`,
        locations: [field.location],
        path,
        extensions: { code: 'selectionMismatch', nodeName: `field '${field.name}'` },
      },
    ]);
  return value;
}

/** `first`/`after` (or `last`/`before`) over a connection of `count` nodes. */
export function pageOf(
  count: number,
  field: Field,
  run: Execution,
  path: Array<string | number>,
): { start: number; end: number } {
  const args = argsOf(field, run.variables);
  const first = args.first as number | null | undefined;
  const last = args.last as number | null | undefined;
  if ((first === undefined || first === null) && (last === undefined || last === null))
    throw new ExecutionAbort([{ message: 'you must provide one of first or last', locations: [field.location], path }]);
  const size = (first ?? last) as number;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE)
    throw new ExecutionAbort([
      {
        message: `The connection '${field.name}' cannot return more than ${MAX_PAGE} nodes. Please use a smaller 'first' or 'last' value.`,
        locations: [field.location],
        path,
        extensions: { code: 'MAX_COST_EXCEEDED' },
      },
    ]);
  if (first !== undefined && first !== null) {
    const after = args.after === undefined || args.after === null ? -1 : decodeCursor(args.after);
    if (after === null) throw new ExecutionAbort([{ message: 'Invalid cursor for current pagination sort.', path }]);
    const start = Math.min(count, after + 1);
    return { start, end: Math.min(count, start + size) };
  }
  const before = args.before === undefined || args.before === null ? count : decodeCursor(args.before);
  if (before === null) throw new ExecutionAbort([{ message: 'Invalid cursor for current pagination sort.', path }]);
  const end = Math.max(0, Math.min(count, before));
  return { start: Math.max(0, end - size), end };
}

function resolveConnection(
  source: ConnectionSource,
  field: Field,
  run: Execution,
  path: Array<string | number>,
): Record<string, unknown> {
  const { start, end } = pageOf(source.count, field, run, path);
  return connectionResult(source.count, start, end, (i) => source.node(i), source.typename, field, run, path);
}

/** The `{ edges, nodes, pageInfo }` answer for nodes [start, end) of a connection of `count`. */
export function connectionResult(
  count: number,
  start: number,
  end: number,
  node: (index: number) => GraphObject,
  typename: string,
  field: Field,
  run: Execution,
  path: Array<string | number>,
  cursorOf: (index: number) => string = encodeCursor,
): Record<string, unknown> {
  run.cost += 2;
  const out: Record<string, unknown> = {};
  const edgeType = `${typename}Edge`;
  for (const part of fieldsFor(field.selections, `${typename}Connection`)) {
    const here = [...path, part.alias];
    if (part.name === '__typename') out[part.alias] = `${typename}Connection`;
    else if (part.name === 'edges') {
      const edges: unknown[] = [];
      for (let i = start; i < end; i++) {
        const edge: Record<string, unknown> = {};
        for (const edgeField of fieldsFor(part.selections, edgeType)) {
          if (edgeField.name === 'cursor') edge[edgeField.alias] = cursorOf(i);
          else if (edgeField.name === 'node')
            edge[edgeField.alias] = resolveObject(node(i), edgeField.selections, run, [...here, i - start, 'node']);
          else if (edgeField.name === '__typename') edge[edgeField.alias] = edgeType;
          else throw new ExecutionAbort([undefinedField(edgeField, edgeType, [...here, edgeField.alias])]);
        }
        edges.push(edge);
      }
      out[part.alias] = edges;
    } else if (part.name === 'nodes') {
      const nodes: unknown[] = [];
      for (let i = start; i < end; i++) nodes.push(resolveObject(node(i), part.selections, run, [...here, i - start]));
      out[part.alias] = nodes;
    } else if (part.name === 'pageInfo') {
      const info: Record<string, unknown> = {};
      for (const infoField of fieldsFor(part.selections, 'PageInfo')) {
        const values: Record<string, unknown> = {
          hasNextPage: end < count,
          hasPreviousPage: start > 0,
          startCursor: end > start ? cursorOf(start) : null,
          endCursor: end > start ? cursorOf(end - 1) : null,
          __typename: 'PageInfo',
        };
        if (!(infoField.name in values)) throw new ExecutionAbort([undefinedField(infoField, 'PageInfo', here)]);
        info[infoField.alias] = values[infoField.name];
      }
      out[part.alias] = info;
    } else throw new ExecutionAbort([undefinedField(part, `${typename}Connection`, here)]);
  }
  return out;
}

/**
 * The requested (worst-case) cost Shopify charges before running a query: objects cost 1,
 * scalars 0, a connection 2 plus `first` (or `last`) times its node's cost; mutations 10.
 */
export function requestedCost(selections: Selection[], variables: Record<string, unknown>, mutation: boolean): number {
  const walk = (list: Selection[]): number => {
    let total = 0;
    for (const selection of list) {
      if (selection.kind === 'inline') {
        total += walk(selection.selections);
        continue;
      }
      if (selection.selections.length === 0) continue;
      const args = argsOf(selection, variables);
      const size = (args.first ?? args.last) as number | undefined;
      if (typeof size === 'number') {
        const inner = selection.selections.flatMap((part) =>
          part.kind === 'field' && (part.name === 'edges' || part.name === 'nodes')
            ? part.name === 'edges'
              ? part.selections.flatMap((edge) =>
                  edge.kind === 'field' && edge.name === 'node' ? edge.selections : [],
                )
              : part.selections
            : [],
        );
        total += 2 + size * (1 + walk(inner));
      } else total += 1 + walk(selection.selections);
    }
    return total;
  };
  if (mutation)
    return 10 * selections.length + walk(selections.flatMap((s) => (s.kind === 'field' ? s.selections : [])));
  return walk(selections);
}
