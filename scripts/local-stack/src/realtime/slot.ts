/**
 * The logical replication slot Realtime reads row changes from. Postgres has no wal2json
 * here, so the slot uses the built-in `pgoutput` plugin and is polled through SQL
 * (`pg_logical_slot_get_binary_changes`) on one dedicated connection. The slot is
 * temporary: it lives only while that connection does, so a crashed stack never leaves a
 * slot behind pinning WAL. It exists only while someone listens to postgres_changes.
 */
import pg from 'pg';
import type { Logger } from '../lib/log.ts';
import { sleep } from '../lib/wait.ts';
import { ChangeDecoder, type RowChange } from './pgoutput.ts';

export const PUBLICATION = 'supabase_realtime';

/** Lets listeners come and go (a test creating channels one after another) without re-creating the slot each time. */
const IDLE_DROP_MS = 1_000;
const RECONNECT_MS = 1_000;

export interface SlotOptions {
  connectionString: string;
  name: string;
  intervalMs: number;
  log: Logger;
  /** Called with each poll's changes, in commit order, on the slot's own connection (session TimeZone UTC). */
  onChanges: (changes: RowChange[], client: pg.Client) => Promise<void>;
}

export class ReplicationSlot {
  private client: pg.Client | null = null;
  private users = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private closed = false;
  /** Opening, stopping and reconnecting run one at a time, in order. */
  private lifecycle: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SlotOptions) {}

  /** Resolves once the slot exists, so changes committed from now on will be seen. */
  async acquire(): Promise<void> {
    this.users++;
    this.cancelIdleDrop();
    try {
      await this.serially(() => this.open());
    } catch (error) {
      this.release();
      throw error;
    }
  }

  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      void this.serially(async () => {
        if (this.users === 0) await this.stop();
      });
    }, IDLE_DROP_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleDrop();
    await this.serially(() => this.stop());
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.lifecycle.then(work);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private cancelIdleDrop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async open(): Promise<void> {
    if (this.client || this.closed) return;
    const { connectionString, name, log } = this.options;
    const client = new pg.Client({ connectionString, application_name: 'cairn_realtime' });
    client.on('error', (error) => log.warn(`replication connection lost: ${error.message}`));
    await client.connect();
    try {
      // Values are rendered by to_jsonb in this session: timestamptz must come out in UTC.
      await client.query(`set timezone to 'UTC'`);
      // A permanent slot of the same name can only be a leftover from an older run.
      await client.query(
        `select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1 and not active`,
        [name],
      );
      await client.query(`select pg_create_logical_replication_slot($1, 'pgoutput', true)`, [name]);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    log.info(`replication slot ${name} created`);
    this.client = client;
    this.polling = this.poll(client);
  }

  private async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = null;
    await this.polling;
    this.polling = null;
    await client.query('select pg_drop_replication_slot($1)', [this.options.name]).catch(() => undefined);
    await client.end().catch(() => undefined);
    this.options.log.info(`replication slot ${this.options.name} dropped`);
  }

  private async poll(client: pg.Client): Promise<void> {
    const { name, intervalMs, log, onChanges } = this.options;
    // A fresh decoder per slot: relation ids are only meaningful within one stream.
    const decoder = new ChangeDecoder();
    while (this.client === client) {
      try {
        const { rows } = await client.query<{ data: Buffer }>(
          `select data from pg_logical_slot_get_binary_changes($1, null, null, 'proto_version', '1', 'publication_names', $2)`,
          [name, PUBLICATION],
        );
        const changes: RowChange[] = [];
        for (const row of rows) {
          const change = decoder.push(row.data);
          if (change) changes.push(change);
        }
        if (changes.length) await onChanges(changes, client);
      } catch (error) {
        if (this.client !== client) return;
        log.error('reading the replication slot failed', error);
        if (!isConnectionAlive(client)) {
          this.client = null;
          void this.reconnectSoon();
          return;
        }
      }
      await sleep(intervalMs);
    }
  }

  private async reconnectSoon(): Promise<void> {
    await sleep(RECONNECT_MS);
    if (this.users > 0 && !this.closed) {
      await this.serially(() => this.open()).catch((error) => {
        this.options.log.error('re-creating the replication slot failed', error);
        void this.reconnectSoon();
      });
    }
  }
}

function isConnectionAlive(client: pg.Client): boolean {
  // pg.Client has no public liveness flag; a query on a dead connection fails fast, so probe its socket.
  const connection = (client as unknown as { connection?: { stream?: { destroyed?: boolean } } }).connection;
  return connection?.stream?.destroyed !== true;
}
