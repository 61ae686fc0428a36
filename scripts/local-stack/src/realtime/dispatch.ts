/**
 * Turns decoded row changes into `postgres_changes` events per subscriber, as Realtime's
 * `realtime.apply_rls` does (spec §5.4): filters evaluated with the column's type, RLS
 * checked per subscriber by selecting the row by primary key as the subscriber's role with
 * their claims, only the columns that role may select, and DELETEs (which RLS cannot see)
 * reduced to the primary key on RLS tables.
 */
import pg from 'pg';
import { asCaller, roleOf, type Pool } from '../lib/db.ts';
import type { Claims } from '../lib/jwt.ts';
import type { Logger } from '../lib/log.ts';
import type { Relation, RowChange, TupleValue } from './pgoutput.ts';
import type { Filter, SubscriptionParams } from './subscriptions.ts';

export interface PgBinding {
  /** The integer id echoed in the join reply and sent in `ids`. */
  id: number;
  params: SubscriptionParams;
}

/** One joined channel's postgres_changes bindings. */
export interface PgSubscriber {
  claims(): Claims;
  readonly bindings: PgBinding[];
  deliver(ids: number[], data: ChangeData): void;
}

export interface ChangeData {
  schema: string;
  table: string;
  type: RowChange['kind'];
  commit_timestamp: string;
  columns: Array<{ name: string; type: string }>;
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  errors: string[] | null;
}

interface TableInfo {
  rlsEnabled: boolean;
  primaryKey: string[];
  /** Ordered by attnum; `type` is pg_type.typname, as Realtime reports it. */
  attributes: Array<{ name: string; type: string }>;
}

interface ColumnValue {
  cast: string;
  text: string | null;
  json: unknown;
}

type Row = Map<string, ColumnValue>;

/** Realtime's wal2json limit: past 1 MB, values longer than 64 bytes are dropped and the event says 413. */
const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_VALUE_BYTES_WHEN_TOO_LARGE = 64;

const COMPARISON_SQL: Record<string, string> = {
  eq: '=',
  neq: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  like: 'like',
  ilike: 'ilike',
  match: '~',
  imatch: '~*',
};

const IS_KEYWORDS = new Set(['null', 'true', 'false', 'unknown']);

function matchesBinding(params: SubscriptionParams, change: RowChange): boolean {
  return (
    (params.action === '*' || params.action === change.kind) &&
    (params.schema === '*' || params.schema === change.relation.schema) &&
    (params.table === '*' || params.table === change.relation.table)
  );
}

/** The SQL boolean for one filter against a column value ($a) and the filter value ($b). */
export function filterExpression(filter: Filter, cast: string, a: string, b: string): string {
  const column = `${a}::text::${cast}`;
  if (filter.op === 'is') {
    const keyword = filter.value.toLowerCase();
    if (!IS_KEYWORDS.has(keyword))
      throw new Error('invalid value for is filter: must be null, true, false, or unknown');
    return `${column} is ${filter.negate ? 'not ' : ''}${keyword}`;
  }
  if (filter.op === 'isdistinct') return `${column} is ${filter.negate ? 'not ' : ''}distinct from ${b}::text::${cast}`;
  const expression =
    filter.op === 'in'
      ? `${column} = any(${b}::text::${cast}[])`
      : `${column} ${COMPARISON_SQL[filter.op]} (${b}::text::${cast})`;
  return filter.negate ? `not (${expression})` : expression;
}

/** Lookups valid for one batch of changes (catalog reads are cheap but not free). */
class BatchCatalog {
  private readonly tables = new Map<number, Promise<TableInfo>>();
  private readonly selectable = new Map<string, Promise<Set<string>>>();

  constructor(private readonly client: pg.Client) {}

  table(oid: number): Promise<TableInfo> {
    let info = this.tables.get(oid);
    if (!info) this.tables.set(oid, (info = this.loadTable(oid)));
    return info;
  }

  /** Columns `role` may select on the table (column privileges included). */
  selectableColumns(oid: number, role: string): Promise<Set<string>> {
    const key = `${oid}:${role}`;
    let columns = this.selectable.get(key);
    if (!columns) {
      columns = this.client
        .query<{ name: string }>(
          `select attname as name from pg_attribute
            where attrelid = $1 and attnum > 0 and not attisdropped and has_column_privilege($2, $1::oid, attname, 'SELECT')`,
          [oid, role],
        )
        .then(({ rows }) => new Set(rows.map((row) => row.name)));
      this.selectable.set(key, columns);
    }
    return columns;
  }

  private async loadTable(oid: number): Promise<TableInfo> {
    const { rows } = await this.client.query<{ rls: boolean; pk: string[]; attributes: TableInfo['attributes'] }>(
      `select c.relrowsecurity as rls,
              coalesce((select array_agg(a.attname::text order by a.attnum)
                          from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                         where i.indrelid = c.oid and i.indisprimary), '{}') as pk,
              coalesce((select jsonb_agg(jsonb_build_object('name', a.attname, 'type', t.typname) order by a.attnum)
                          from pg_attribute a join pg_type t on t.oid = a.atttypid
                         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '[]') as attributes
         from pg_class c where c.oid = $1`,
      [oid],
    );
    if (!rows[0]) throw new Error(`relation ${oid} no longer exists`);
    return { rlsEnabled: rows[0].rls, primaryKey: rows[0].pk, attributes: rows[0].attributes };
  }
}

export class ChangeDispatcher {
  /** type oid → the name to cast text to (`integer`, `public.mood`, `text[]`); type oids never change meaning. */
  private readonly castTypes = new Map<number, string>();

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
  ) {}

  async dispatch(changes: RowChange[], subscribers: PgSubscriber[], client: pg.Client): Promise<void> {
    const catalog = new BatchCatalog(client);
    for (const change of changes) {
      try {
        await this.dispatchOne(change, subscribers, client, catalog);
      } catch (error) {
        this.log.error(`dropping ${change.kind} on ${change.relation.schema}.${change.relation.table}`, error);
      }
    }
  }

  private async dispatchOne(
    change: RowChange,
    subscribers: PgSubscriber[],
    client: pg.Client,
    catalog: BatchCatalog,
  ): Promise<void> {
    const candidates = subscribers
      .map((subscriber) => ({
        subscriber,
        bindings: subscriber.bindings.filter((binding) => matchesBinding(binding.params, change)),
      }))
      .filter(({ bindings }) => bindings.length > 0);
    if (candidates.length === 0) return;

    const table = await catalog.table(change.relation.id);
    await this.loadCastTypes(change.relation, client);
    const { record, old, tooLarge } = await this.renderRows(change, client);
    const filterResults = await this.evaluateFilters(
      candidates.flatMap(({ bindings }) => bindings.flatMap((binding) => binding.params.filters)),
      change,
      record,
      old,
      client,
    );
    const passes = (filters: Filter[]) => filters.every((filter) => filterResults.get(filter) === true);

    for (const { subscriber, bindings } of candidates) {
      const matching = bindings.filter((binding) => passes(binding.params.filters));
      if (matching.length === 0) continue;
      const claims = subscriber.claims();
      const role = roleOf(claims);
      const selectable = await catalog.selectableColumns(change.relation.id, role);
      if (!(await this.isVisible(change, table, selectable, record, claims))) continue;
      // Bindings with different column selections get different payloads.
      const groups = new Map<string, PgBinding[]>();
      for (const binding of matching) {
        const key = JSON.stringify(binding.params.select);
        groups.set(key, [...(groups.get(key) ?? []), binding]);
      }
      for (const group of groups.values()) {
        const data = buildData(change, table, selectable, group[0].params.select, record, old, tooLarge);
        subscriber.deliver(
          group.map((binding) => binding.id),
          data,
        );
      }
    }
  }

  private async loadCastTypes(relation: Relation, client: pg.Client): Promise<void> {
    const missing = [...new Set(relation.columns.map((column) => column.typeOid))].filter(
      (oid) => !this.castTypes.has(oid),
    );
    if (missing.length === 0) return;
    const { rows } = await client.query<{ oid: number; name: string }>(
      `select oid::int as oid, oid::regtype::text as name from pg_type where oid = any($1::oid[])`,
      [missing],
    );
    for (const row of rows) this.castTypes.set(row.oid, row.name);
  }

  /**
   * The new and old row as Realtime would show them: values rendered by
   * `to_jsonb(<text>::<type>)` (bytea keeps its text form), so JSON matches PostgREST's.
   */
  private async renderRows(
    change: RowChange,
    client: pg.Client,
  ): Promise<{ record: Row; old: Row; tooLarge: boolean }> {
    const { relation } = change;
    const record: Row = new Map();
    const old: Row = new Map();
    const pending: Array<{ row: Row; name: string; cast: string; text: string | null }> = [];
    const collect = (row: Row, tuple: TupleValue[], keyOnly: boolean) => {
      relation.columns.forEach((column, index) => {
        const value = tuple[index];
        // Key-only old tuples carry nulls for non-key columns: those are absent, not null.
        if (!value || value.kind === 'unchanged' || (keyOnly && !column.isKey)) return;
        const cast = this.castTypes.get(column.typeOid) ?? 'text';
        pending.push({ row, name: column.name, cast, text: value.kind === 'null' ? null : value.value });
      });
    };
    if (change.kind !== 'DELETE') collect(record, change.record, false);
    if (change.kind === 'DELETE') collect(old, change.old, change.oldIsKeyOnly);
    if (change.kind === 'UPDATE' && change.old) collect(old, change.old, change.oldIsKeyOnly);

    let tooLarge = false;
    if (pending.length) {
      const select = pending.map(
        ({ cast }, i) =>
          (cast === 'bytea' ? `to_jsonb($${i + 1}::text)` : `to_jsonb($${i + 1}::text::${cast})`) + ` as v${i}`,
      );
      const { rows } = await client.query<Record<string, unknown>>(
        `select ${select.join(', ')}`,
        pending.map((value) => value.text),
      );
      const size = pending.reduce((total, value) => total + Buffer.byteLength(value.text ?? ''), 0);
      tooLarge = size > MAX_RECORD_BYTES;
      pending.forEach((value, i) =>
        value.row.set(value.name, { cast: value.cast, text: value.text, json: rows[0][`v${i}`] }),
      );
    }
    if (change.kind === 'UPDATE') {
      // Unchanged TOAST values are not in the new tuple: take them from the old one when it has them.
      for (const [name, value] of old) if (!record.has(name)) record.set(name, value);
      // Without REPLICA IDENTITY FULL the old tuple is absent unless the key changed; wal2json
      // (and so Realtime) then reports the identity columns of the new row as `old_record`.
      if (!change.old && change.relation.replicaIdentity !== 'n') {
        for (const column of relation.columns) {
          const value = record.get(column.name);
          if (column.isKey && value) old.set(column.name, value);
        }
      }
    }
    return { record, old, tooLarge };
  }

  /** Every filter's verdict for this change, computed in one query with the column's own type. */
  private async evaluateFilters(
    filters: Filter[],
    change: RowChange,
    record: Row,
    old: Row,
    client: pg.Client,
  ): Promise<Map<Filter, boolean>> {
    const results = new Map<Filter, boolean>();
    const expressions: string[] = [];
    const values: unknown[] = [];
    const asked: Array<{ filter: Filter; index: number }> = [];
    const addExpression = (filter: Filter, value: ColumnValue): number => {
      values.push(value.text, filter.value);
      expressions.push(
        `coalesce(${filterExpression(filter, value.cast, `$${values.length - 1}`, `$${values.length}`)}, false) as f${expressions.length}`,
      );
      return expressions.length - 1;
    };
    for (const filter of new Set(filters)) {
      // DELETE has no new row: Realtime then checks the old (identity) columns.
      const rows = change.kind === 'DELETE' ? [old] : [record];
      for (const row of rows) {
        const value = row.get(filter.column);
        if (!value) continue;
        try {
          asked.push({ filter, index: addExpression(filter, value) });
        } catch {
          results.set(filter, false);
        }
      }
    }
    if (expressions.length) {
      try {
        const { rows } = await client.query<Record<string, boolean>>(`select ${expressions.join(', ')}`, values);
        for (const { filter, index } of asked) if (rows[0][`f${index}`] === true) results.set(filter, true);
      } catch (error) {
        this.log.warn(`filter evaluation failed: ${(error as Error).message}`);
      }
    }
    return results;
  }

  /** Whether the subscriber may see this change at all. */
  private async isVisible(
    change: RowChange,
    table: TableInfo,
    selectable: Set<string>,
    record: Row,
    claims: Claims,
  ): Promise<boolean> {
    // RLS cannot be checked for a row that is gone: a DELETE goes to anyone who may select from the table.
    if (change.kind === 'DELETE') return selectable.size > 0;
    // Without a primary key Realtime sends an error event rather than data.
    if (table.primaryKey.length === 0) return true;
    if (!table.primaryKey.every((column) => selectable.has(column))) return false;
    if (!table.rlsEnabled) return true;
    const keyValues: ColumnValue[] = [];
    for (const column of table.primaryKey) {
      const value = record.get(column);
      if (!value || value.text === null) return false;
      keyValues.push(value);
    }
    const where = table.primaryKey
      .map((column, i) => `${pg.escapeIdentifier(column)} = $${i + 1}::text::${keyValues[i].cast}`)
      .join(' and ');
    const relation = `${pg.escapeIdentifier(change.relation.schema)}.${pg.escapeIdentifier(change.relation.table)}`;
    try {
      return await asCaller(this.pool, { claims }, async (client) => {
        const { rows } = await client.query<{ visible: boolean }>(
          `select exists(select 1 from ${relation} where ${where}) as visible`,
          keyValues.map((value) => value.text),
        );
        return rows[0].visible;
      });
    } catch {
      // A policy that errors, or a missing grant, hides the row (Realtime's prepared select fails the same way).
      return false;
    }
  }
}

function buildData(
  change: RowChange,
  table: TableInfo,
  selectable: Set<string>,
  select: string[] | null,
  record: Row,
  old: Row,
  tooLarge: boolean,
): ChangeData {
  const isKey = (name: string) => table.primaryKey.includes(name);
  const included = (name: string) => selectable.has(name) && (!select || select.includes(name) || isKey(name));
  const base = {
    schema: change.relation.schema,
    table: change.relation.table,
    type: change.kind,
    commit_timestamp: change.commitTime.toISOString(),
    columns: table.attributes.filter((attribute) => included(attribute.name)),
  };
  if (change.kind !== 'DELETE' && table.primaryKey.length === 0) {
    return {
      ...base,
      record: {},
      ...(change.kind === 'UPDATE' ? { old_record: {} } : {}),
      errors: ['Error 400: Bad Request, no primary key'],
    };
  }
  const pick = (row: Row, keep: (name: string) => boolean): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    for (const [name, value] of row) {
      if (!keep(name)) continue;
      if (tooLarge && Buffer.byteLength(JSON.stringify(value.json) ?? '') > MAX_VALUE_BYTES_WHEN_TOO_LARGE) continue;
      result[name] = value.json;
    }
    return result;
  };
  return {
    ...base,
    ...(change.kind !== 'DELETE' ? { record: pick(record, included) } : {}),
    ...(change.kind === 'UPDATE' ? { old_record: pick(old, included) } : {}),
    ...(change.kind === 'DELETE'
      ? { old_record: pick(old, (name) => included(name) && (!table.rlsEnabled || isKey(name))) }
      : {}),
    errors: tooLarge ? ['Error 413: Payload Too Large'] : null,
  };
}
