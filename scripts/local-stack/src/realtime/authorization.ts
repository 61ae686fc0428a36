/**
 * Private channels (`config.private: true`) are authorised by the project's RLS policies on
 * `realtime.messages`, the way Realtime.Tenants.Authorization does it: with `realtime.topic`
 * set to the channel name, a read is allowed when the caller can select probe rows, a write
 * when the caller can insert one. Everything is rolled back.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Pool, PoolClient } from '../lib/db.ts';
import { roleOf } from '../lib/db.ts';
import type { Claims } from '../lib/jwt.ts';

export type Extension = 'broadcast' | 'presence';

async function setCaller(client: PoolClient, topic: string, claims: Claims): Promise<void> {
  const role = roleOf(claims);
  await client.query(
    `select set_config('realtime.topic', $1, true), set_config('request.jwt.claims', $2, true),
            set_config('request.jwt.claim.sub', $3, true), set_config('request.jwt.claim.role', $4, true)`,
    [topic, JSON.stringify(claims), typeof claims.sub === 'string' ? claims.sub : '', role],
  );
  await client.query(`set local role ${pg.escapeIdentifier(role)}`);
}

async function rolledBack<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    return await work(client);
  } finally {
    await client.query('rollback').catch(() => undefined);
    client.release();
  }
}

/** Which extensions the caller may read on `topic` (probe rows inserted as admin, selected as the caller). */
export async function readPolicies(
  pool: Pool,
  topic: string,
  claims: Claims,
  extensions: Extension[],
): Promise<Record<Extension, boolean>> {
  return rolledBack(pool, async (client) => {
    const probes = extensions.map((extension) => ({ extension, id: randomUUID() }));
    for (const probe of probes) {
      await client.query(`insert into realtime.messages (id, topic, extension) values ($1, $2, $3)`, [
        probe.id,
        topic,
        probe.extension,
      ]);
    }
    await setCaller(client, topic, claims);
    let visible = new Set<string>();
    try {
      const { rows } = await client.query<{ id: string }>(
        `select id from realtime.messages where id = any($1::uuid[])`,
        [probes.map((p) => p.id)],
      );
      visible = new Set(rows.map((row) => row.id));
    } catch {
      // No grant or a failing policy means no access, as upstream reports RlsPolicyError.
    }
    const result: Record<Extension, boolean> = { broadcast: false, presence: false };
    for (const probe of probes) result[probe.extension] = visible.has(probe.id);
    return result;
  });
}

/** Whether the caller may write `extension` messages on `topic` (an insert as the caller). */
export async function canWrite(pool: Pool, topic: string, claims: Claims, extension: Extension): Promise<boolean> {
  return rolledBack(pool, async (client) => {
    await setCaller(client, topic, claims);
    try {
      await client.query(`insert into realtime.messages (topic, extension) values ($1, $2)`, [topic, extension]);
      return true;
    } catch {
      return false;
    }
  });
}
