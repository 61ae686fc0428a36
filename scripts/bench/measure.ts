/** What the benchmarks share: percentiles, one timed HTTP GET, the table the REST timings read, a signed-in admin. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request, type Agent } from 'node:http';
import pg from 'pg';
import { sleep } from '@cairn/local-stack/lib/wait.ts';

/** The p-th percentile of the samples (nearest rank); NaN when there are none. */
export const percentile = (values: number[], p: number): number =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;

/** One GET on a kept-alive agent: its time in ms, or an error for any status but 200. */
export function timedGet(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Number(process.hrtime.bigint() - began) / 1e6)
          : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** `public.bench_items` (100 rows) readable by `grantee`, and PostgREST's schema cache reloaded. */
export async function createBenchItems(adminDbUrl: string, grantee: 'anon' | 'authenticated'): Promise<void> {
  const db = new pg.Client({ connectionString: adminDbUrl });
  await db.connect();
  try {
    await db.query(`create table if not exists public.bench_items (id bigint primary key, name text not null);
      insert into public.bench_items select g, 'item ' || g from generate_series(1, 100) g on conflict do nothing;
      grant select on public.bench_items to ${grantee}; notify pgrst, 'reload schema';`);
  } finally {
    await db.end();
  }
  await sleep(500);
}

/**
 * A new admin signed in through the stack's auth (invited, accepted): their access token and id.
 * `run` writes the team_members row (each bench's own connection). The testing kit is imported
 * here, not at the top: it reads CAIRN_STACK when it loads, after the bench set its default.
 */
export async function signInBenchAdmin(
  run: (text: string, params: unknown[]) => Promise<unknown>,
  label = 'bench-admin',
): Promise<{ token: string; userId: string }> {
  const { signedInClient } = await import('@cairn/local-stack/testing.ts');
  const { client, userId, email } = await signedInClient(
    `${label}-${randomUUID().slice(0, 8)}@example.test`,
    undefined,
    { invited: true },
  );
  await run(
    `insert into public.team_members (user_id, email, full_name, role, accepted_at) values ($1, $2, 'Bench admin', 'admin', now())`,
    [userId, email],
  );
  const { data } = await client.auth.getSession();
  if (!data.session) throw new Error('the bench admin is not signed in');
  return { token: data.session.access_token, userId };
}

/** A process's CPU time so far (utime + stime from /proc/<pid>/stat), in ms; Linux, USER_HZ 100. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
