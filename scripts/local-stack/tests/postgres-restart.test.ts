/**
 * L-8: Postgres restarted behind the supervisor's back (`pg_ctl restart`, as an operator or a
 * crash-recovery script would) must not leave the stack half dead: `supabase:stop` stops
 * everything, Postgres included, promptly, and the next start works. On an instance of its own,
 * since it restarts and stops Postgres.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopStack } from '../src/control.ts';
import { waitFor } from '../src/lib/wait.ts';
import { postgresBinary, runningPostmaster } from '../src/postgres.ts';
import { startOwnStack, type OwnStack } from './support/own-stack.ts';

let stack: OwnStack;

beforeAll(async () => {
  stack = await startOwnStack('pgrestart', { parts: [], offset: 200 });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

function pgCtl(...args: string[]): void {
  const binary = postgresBinary('pg_ctl');
  // Postgres runs as the `postgres` user when the stack runs as root; so must pg_ctl.
  const command = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', binary] : [binary];
  const result = spawnSync(command[0], [...command.slice(1), ...args], { stdio: 'ignore', timeout: 60_000 });
  expect(result.status).toBe(0);
}

async function selectOne(): Promise<number> {
  const client = new pg.Client({ connectionString: stack.config.adminDbUrl });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('select 1 as one')).rows[0].one;
  } finally {
    await client.end();
  }
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('Postgres restarted behind the supervisor’s back', () => {
  it('supabase:stop still stops everything promptly, and the next start works', async () => {
    const pgdata = stack.config.pgDataDir;
    pgCtl('restart', '-D', pgdata, '-m', 'fast', '-w');
    expect(await selectOne()).toBe(1);

    const began = Date.now();
    await stopStack(stack.config);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(await portOpen(stack.config.ports.db)).toBe(false);
    expect(existsSync(path.join(pgdata, 'postmaster.pid'))).toBe(false);

    await stack.start();
    expect(await selectOne()).toBe(1);
  }, 180_000);

  it('a postmaster that dies is started again by the supervisor', async () => {
    const pid = runningPostmaster(stack.config.pgDataDir);
    expect(pid).toBeTruthy();
    process.kill(pid as number, 'SIGKILL');
    await waitFor(
      'Postgres to come back',
      async () => {
        const now = runningPostmaster(stack.config.pgDataDir);
        return now !== null && now !== pid && (await selectOne().catch(() => 0)) === 1;
      },
      60_000,
      250,
    );
    const began = Date.now();
    await stopStack(stack.config);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(await portOpen(stack.config.ports.db)).toBe(false);
  }, 120_000);
});
