/**
 * The postgres_changes extension: checks a channel's bindings against the publication the
 * way Realtime's subscription insert does, keeps the replication slot alive while anyone
 * listens, and hands each polled batch of changes to the dispatcher.
 */
import type pg from 'pg';
import type { StackContext } from '../context.ts';
import { ChangeDispatcher, filterExpression, type PgBinding, type PgSubscriber } from './dispatch.ts';
import { PUBLICATION, ReplicationSlot } from './slot.ts';
import type { SubscriptionParams } from './subscriptions.ts';

const POLL_INTERVAL_MS = 50;

export class PostgresChanges {
  private readonly subscribers = new Set<PgSubscriber>();
  private readonly slot: ReplicationSlot;
  private readonly dispatcher: ChangeDispatcher;

  constructor(private readonly ctx: StackContext) {
    const log = ctx.log.child('postgres_changes');
    this.dispatcher = new ChangeDispatcher(ctx.db, log);
    this.slot = new ReplicationSlot({
      connectionString: ctx.config.adminDbUrl,
      // One slot per stack instance: instances share nothing, not even the slot namespace.
      name: `cairn_realtime_${ctx.config.ports.api}`,
      intervalMs: POLL_INTERVAL_MS,
      log,
      onChanges: (changes, client) => this.dispatcher.dispatch(changes, [...this.subscribers], client),
    });
  }

  /**
   * Registers the subscriber once every binding names a published table and valid filters.
   * Returns the error message Realtime would push as a `system` error, or null when subscribed.
   */
  async subscribe(subscriber: PgSubscriber): Promise<string | null> {
    for (const binding of subscriber.bindings) {
      const problem = await this.check(binding);
      if (problem) return problem;
    }
    await this.slot.acquire();
    this.subscribers.add(subscriber);
    return null;
  }

  unsubscribe(subscriber: PgSubscriber): void {
    if (this.subscribers.delete(subscriber)) this.slot.release();
  }

  async close(): Promise<void> {
    this.subscribers.clear();
    await this.slot.close();
  }

  private async check(binding: PgBinding): Promise<string | null> {
    const { params } = binding;
    const { rows: tables } = await this.ctx.db.query<{ oid: number }>(
      `select format('%I.%I', schemaname, tablename)::regclass::oid::int as oid
         from pg_publication_tables
        where pubname = $1 and ($2 = '*' or schemaname = $2) and ($3 = '*' or tablename = $3)`,
      [PUBLICATION, params.schema, params.table],
    );
    if (tables.length === 0) {
      return `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [${describe(params)}]`;
    }
    for (const { oid } of tables) {
      const problem = await this.checkFilters(oid, params);
      if (problem) {
        return `Unable to subscribe to changes with given parameters. An exception happened so please check your connect parameters: [${describe(params)}]. Exception: ${problem}`;
      }
    }
    return null;
  }

  /** What Realtime's `subscription_check_filters` trigger enforces: known columns, values of the column's type. */
  private async checkFilters(oid: number, params: SubscriptionParams): Promise<string | null> {
    const client: pg.PoolClient = await this.ctx.db.connect();
    try {
      for (const filter of params.filters) {
        const { rows } = await client.query<{ cast: string }>(
          `select atttypid::regtype::text as cast from pg_attribute where attrelid = $1 and attname = $2 and attnum > 0 and not attisdropped`,
          [oid, filter.column],
        );
        if (!rows[0]) return `ERROR P0001 (raise_exception) invalid column for filter ${filter.column}`;
        try {
          // Evaluating the filter against a null column value proves the value parses as the type.
          await client.query(`select ${filterExpression(filter, rows[0].cast, '$1', '$2')}`, [null, filter.value]);
        } catch (error) {
          return `ERROR ${(error as { code?: string }).code ?? ''} ${(error as Error).message}`.replace(/\s+/g, ' ');
        }
      }
      return null;
    } finally {
      client.release();
    }
  }
}

function describe(params: SubscriptionParams): string {
  const filters = params.filters
    .map((f) => `{"${f.column}", "${f.op}", "${f.value}"${f.negate ? ', true' : ''}}`)
    .join(', ');
  const select = params.select ? `[${params.select.map((c) => `"${c}"`).join(', ')}]` : 'nil';
  return `event: ${params.action}, schema: ${params.schema}, table: ${params.table}, filters: [${filters}], select: ${select}`;
}
