/**
 * Postgres access for the platform services. They connect as `supabase_admin` (as the real
 * services connect as their own admin roles) and, when acting for a caller, switch to the
 * caller's role with the same GUCs PostgREST and Storage set, so row-level security applies.
 */
import pg from 'pg';
import type { Claims } from './jwt.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// Keep timestamps and bigints as Postgres prints them; the services format them on purpose.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection (Postgres restarting) must not crash the stack.
  pool.on('error', () => undefined);
  return pool;
}

const API_ROLES = new Set(['anon', 'authenticated', 'service_role']);

/** The database role a JWT maps to; unknown roles fall back to anon as PostgREST would refuse them. */
export function roleOf(claims: Claims): string {
  const role = typeof claims.role === 'string' ? claims.role : 'anon';
  return API_ROLES.has(role) ? role : 'anon';
}

export interface CallerContext {
  claims: Claims;
  /** Extra request GUCs, e.g. storage.operation. */
  settings?: Record<string, string>;
}

/**
 * Runs `work` in a transaction as the caller: `set local role`, `request.jwt.claims`
 * (and the legacy `request.jwt.claim.*` settings Storage sets), then commits or rolls back.
 */
export function asCaller<T>(
  pool: pg.Pool,
  caller: CallerContext,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    const settings: Record<string, string> = {
      'request.jwt.claims': JSON.stringify(caller.claims),
      'request.jwt.claim.role': roleOf(caller.claims),
      'request.jwt.claim.sub': typeof caller.claims.sub === 'string' ? caller.claims.sub : '',
      ...caller.settings,
    };
    const names = Object.keys(settings);
    await client.query(
      `select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      names.flatMap((name) => [name, settings[name]]),
    );
    await client.query(`set local role ${pg.escapeIdentifier(roleOf(caller.claims))}`);
    return work(client);
  });
}

/** Runs `work` in a transaction on a client of the pool: commits, or rolls back on an error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
