/**
 * Scheduling contract (Supabase's "schedule Edge Functions" recipe): a migration run as
 * `postgres` enables pg_cron and pg_net, stores the project URL and key in Vault and schedules
 * a job that posts to a function; the stack's cron worker runs it and pg_net's worker
 * performs the request after commit. Also the schedule grammar and pg_net's edge cases.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cronMatches, parseSchedule } from '../src/cron/schedule.ts';
import { waitFor } from '../src/lib/wait.ts';
import { adminSql, config } from '../src/testing.ts';

/** SQL as `postgres`, the role migrations run as (not a superuser, as on hosted). */
async function asPostgres<T extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const db = new pg.Client({ connectionString: config.dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(text, params)).rows;
  } finally {
    await db.end();
  }
}

interface HttpResponseRow {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean | null;
  error_msg: string | null;
}

/** The first row `query` returns, polling until there is one. */
async function firstRow<T extends pg.QueryResultRow>(
  what: string,
  query: () => Promise<T[]>,
  timeoutMs = 10_000,
): Promise<T> {
  let found: T | undefined;
  await waitFor(
    what,
    async () => {
      [found] = await query();
      return found !== undefined;
    },
    timeoutMs,
    100,
  );
  if (!found) throw new Error(`no ${what}`);
  return found;
}

const responseFor = (id: string) =>
  firstRow(`net._http_response ${id}`, () =>
    adminSql<HttpResponseRow>('select * from net._http_response where id = $1', [id]),
  );

/** The message of a job's first run with `status`, polling until it has one. */
const runMessage = async (jobid: string, status: 'succeeded' | 'failed'): Promise<string> =>
  (
    await firstRow(`a ${status} run of job ${jobid}`, () =>
      adminSql<{ return_message: string }>(
        `select return_message from cron.job_run_details where jobid = $1 and status = $2 limit 1`,
        [jobid, status],
      ),
    )
  ).return_message;

describe('schedules', () => {
  it('parses seconds, macros and cron fields as pg_cron does', () => {
    expect(parseSchedule('30 seconds')).toEqual({ kind: 'interval', seconds: 30 });
    expect(parseSchedule(' 1 second ')).toEqual({ kind: 'interval', seconds: 1 });
    for (const bad of [
      '0 seconds',
      '60 seconds',
      '* * * *',
      '61 * * * *',
      '* 24 * * *',
      '* * 0 * *',
      '* * * 13 *',
      '* * * * 8',
      '*/0 * * * *',
      'a b c d e',
      '',
    ]) {
      expect(() => parseSchedule(bad), bad).toThrow(/invalid schedule/);
    }
    const at = (iso: string) => new Date(iso);
    const nightly = parseSchedule('30 3 * * 6');
    if (nightly.kind !== 'cron') throw new Error('expected cron');
    expect(cronMatches(nightly, at('2026-11-21T03:30:00Z'))).toBe(true); // a Saturday
    expect(cronMatches(nightly, at('2026-11-22T03:30:00Z'))).toBe(false);
    const every5 = parseSchedule('*/5 9-17 * jan,nov mon-fri');
    if (every5.kind !== 'cron') throw new Error('expected cron');
    expect(cronMatches(every5, at('2026-11-20T09:55:00Z'))).toBe(true); // Friday
    expect(cronMatches(every5, at('2026-11-20T09:56:00Z'))).toBe(false);
    expect(cronMatches(every5, at('2026-11-21T09:55:00Z'))).toBe(false); // Saturday
    const lastDay = parseSchedule('0 0 $ * *');
    if (lastDay.kind !== 'cron') throw new Error('expected cron');
    expect(cronMatches(lastDay, at('2026-02-28T00:00:00Z'))).toBe(true);
    expect(cronMatches(lastDay, at('2026-02-27T00:00:00Z'))).toBe(false);
    expect(parseSchedule('@daily')).toMatchObject({ kind: 'cron' });
  });
});

describe('pg_cron + pg_net + Vault, as a migration sets them up', () => {
  let target: Server;
  let targetUrl: string;
  // Jobs the migrations scheduled (webhook retries, alert checks) belong to the app: only the
  // jobs this file creates, numbered after these, are removed at the end.
  let lastJobBefore = 0;
  const received: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];

  beforeAll(async () => {
    lastJobBefore = (await adminSql<{ id: number }>('select coalesce(max(jobid), 0)::int as id from cron.job'))[0].id;
    // The statements Supabase's docs give for enabling the extensions, run as postgres.
    await asPostgres(`
      create extension if not exists pg_cron with schema pg_catalog;
      create extension if not exists pg_net with schema extensions;
      grant usage on schema cron to postgres;
      grant all privileges on all tables in schema cron to postgres;
    `);
    await asPostgres(`delete from vault.secrets where name in ('project_url', 'anon_key')`);
    await asPostgres(
      `select vault.create_secret($1, 'project_url'), vault.create_secret($2, 'anon_key', 'anon key for scheduled calls')`,
      [config.apiUrl, config.anonKey],
    );

    target = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url?.startsWith('/hang')) return; // never answers: for timeouts
        res.writeHead(201, { 'content-type': 'text/plain', 'x-target': 'yes' });
        res.end(`got ${req.method}`);
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    target.closeAllConnections();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    await asPostgres(`select cron.unschedule(jobid) from cron.job where jobid > $1`, [lastJobBefore]).catch(
      () => undefined,
    );
  });

  it("leaves the extensions' objects owned by the platform, not by postgres", async () => {
    await expect(asPostgres('drop table cron.job_run_details')).rejects.toThrow(
      'must be owner of table job_run_details',
    );
    await expect(asPostgres('drop table net.http_request_queue')).rejects.toThrow(
      'must be owner of table http_request_queue',
    );
    await expect(asPostgres('drop table vault.secrets')).rejects.toThrow('must be owner of table secrets');
  });

  it('keeps Vault secrets encrypted at rest and readable only by postgres and service_role', async () => {
    const [stored] = await asPostgres<{ secret: string; decrypted_secret: string; description: string }>(
      `select s.secret, d.decrypted_secret, d.description from vault.secrets s join vault.decrypted_secrets d using (id) where s.name = 'anon_key'`,
    );
    expect(stored.decrypted_secret).toBe(config.anonKey);
    expect(stored.description).toBe('anon key for scheduled calls');
    expect(stored.secret).not.toContain(config.anonKey);
    for (const role of ['anon', 'authenticated']) {
      await expect(
        adminSql(`do $$ begin set local role ${role}; perform * from vault.decrypted_secrets; end $$`),
      ).rejects.toThrow(/permission denied/);
    }
    await expect(
      adminSql(`do $$ begin set local role service_role; perform * from vault.decrypted_secrets; end $$`),
    ).resolves.toBeDefined();

    const [{ id }] = await asPostgres<{ id: string }>(`select id from vault.secrets where name = 'anon_key'`);
    await asPostgres(`select vault.update_secret($1, 'rotated')`, [id]);
    const [rotated] = await asPostgres<{ decrypted_secret: string }>(
      `select decrypted_secret from vault.decrypted_secrets where id = $1`,
      [id],
    );
    expect(rotated.decrypted_secret).toBe('rotated');
    await asPostgres(`select vault.update_secret($1, $2)`, [id, config.anonKey]);
  });

  it('runs a scheduled job that invokes an Edge Function through pg_net', async () => {
    const [{ jobid }] = await asPostgres<{ jobid: string }>(`
      select cron.schedule('hello-every-second', '1 seconds', $$
        select net.http_post(
          url := (select decrypted_secret from vault.decrypted_secrets where name = 'project_url') || '/functions/v1/hello',
          headers := jsonb_build_object(
            'Content-Type', 'application/json',
            'Authorization', 'Bearer ' || (select decrypted_secret from vault.decrypted_secrets where name = 'anon_key')),
          body := '{"name":"cron"}'::jsonb
        ) as request_id
      $$) as jobid`);
    try {
      const [job] = await asPostgres<{ username: string; database: string; active: boolean; schedule: string }>(
        'select username, database, active, schedule from cron.job where jobid = $1',
        [jobid],
      );
      expect(job).toEqual({ username: 'postgres', database: 'postgres', active: true, schedule: '1 seconds' });

      const response = await firstRow(
        'a 200 from hello in net._http_response',
        () =>
          adminSql<HttpResponseRow>(
            `select * from net._http_response where status_code = 200 and content like '%Hello cron%' order by created desc limit 1`,
          ),
        15_000,
      );
      expect(JSON.parse(response.content ?? 'null')).toEqual({ message: 'Hello cron', role: 'anon' });
      expect(response).toMatchObject({ content_type: 'application/json', timed_out: false, error_msg: null });

      const succeeded = await firstRow('a succeeded run', () =>
        asPostgres<{ return_message: string; username: string; job_pid: number | null; end_time: Date | null }>(
          `select return_message, username, job_pid, end_time from cron.job_run_details where jobid = $1 and status = 'succeeded' order by runid limit 1`,
          [jobid],
        ),
      );
      expect(succeeded).toMatchObject({ return_message: '1 row', username: 'postgres' });
      expect(succeeded.job_pid).toEqual(expect.any(Number));
      expect(succeeded.end_time).toBeInstanceOf(Date);
    } finally {
      expect((await asPostgres<{ ok: boolean }>(`select cron.unschedule('hello-every-second') as ok`))[0].ok).toBe(
        true,
      );
    }
    await expect(asPostgres(`select cron.unschedule('hello-every-second')`)).rejects.toThrow(
      "could not find valid entry for job 'hello-every-second'",
    );
    // Unscheduled means no further runs.
    const count = async () =>
      Number(
        (await adminSql<{ n: string }>('select count(*) as n from cron.job_run_details where jobid = $1', [jobid]))[0]
          .n,
      );
    const before = await count();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await count()).toBeLessThanOrEqual(before + 1); // at most the run already under way
  });

  it('replaces a job scheduled again under the same name, and validates schedules', async () => {
    const [first] = await asPostgres<{ id: string }>(`select cron.schedule('nightly', '0 3 * * *', 'select 1') as id`);
    const [second] = await asPostgres<{ id: string }>(`select cron.schedule('nightly', '0 4 * * *', 'select 2') as id`);
    expect(second.id).toBe(first.id);
    const [job] = await asPostgres<{ schedule: string; command: string }>(
      'select schedule, command from cron.job where jobid = $1',
      [first.id],
    );
    expect(job).toEqual({ schedule: '0 4 * * *', command: 'select 2' });
    await asPostgres('select cron.alter_job($1, active := false)', [first.id]);
    expect(
      (await asPostgres<{ active: boolean }>('select active from cron.job where jobid = $1', [first.id]))[0].active,
    ).toBe(false);
    for (const bad of ['0 seconds', '60 seconds', '* * * *', '99 * * * *', 'every day']) {
      await expect(asPostgres(`select cron.schedule('bad', $1, 'select 1')`, [bad]), bad).rejects.toThrow(
        `invalid schedule: ${bad}`,
      );
    }
    expect((await asPostgres<{ ok: boolean }>('select cron.unschedule($1::bigint) as ok', [first.id]))[0].ok).toBe(
      true,
    );
  });

  it('records a failing job as failed with the error', async () => {
    const [{ jobid }] = await asPostgres<{ jobid: string }>(
      `select cron.schedule('failing', '1 seconds', 'select * from no_such_table') as jobid`,
    );
    try {
      expect(await runMessage(jobid, 'failed')).toBe('ERROR:  relation "no_such_table" does not exist');
    } finally {
      await asPostgres(`select cron.unschedule('failing')`);
    }
  });

  it('queues a run that comes due while the previous one still runs, and starts it when that one ends', async () => {
    // Every 2 seconds, each run taking 2.5: pg_cron queues the run due at 2 s and starts it as
    // soon as the first completes (not at the next due time, 4 s).
    const [{ jobid }] = await asPostgres<{ jobid: string }>(
      `select cron.schedule('slow', '2 seconds', 'select pg_sleep(2.5)') as jobid`,
    );
    try {
      const gap = await firstRow(
        `a run of job ${jobid} after a finished one`,
        () =>
          adminSql<{ seconds: number }>(
            `select extract(epoch from d2.start_time - d1.end_time)::float8 as seconds
             from cron.job_run_details d1
             join cron.job_run_details d2 on d2.jobid = d1.jobid and d2.runid > d1.runid
             where d1.jobid = $1 and d1.status = 'succeeded'
             order by d1.runid, d2.runid limit 1`,
            [jobid],
          ),
        15_000,
      );
      expect(gap.seconds).toBeGreaterThanOrEqual(0);
      expect(gap.seconds).toBeLessThan(1);
    } finally {
      await asPostgres(`select cron.unschedule('slow')`);
    }
  });

  it('runs jobs as their owner, not as a superuser', async () => {
    const [{ jobid }] = await asPostgres<{ jobid: string }>(
      `select cron.schedule('whoami', '1 seconds', $$ select 1 where current_user = 'postgres' and session_user = 'postgres' $$) as jobid`,
    );
    try {
      // One row only if the job ran as postgres ("0 rows" otherwise).
      expect(await runMessage(jobid, 'succeeded')).toBe('1 row');
      // And so it may not do what only superusers may.
      await asPostgres(`select cron.alter_job($1, command := $$ select pg_read_file('PG_VERSION') $$)`, [jobid]);
      expect(await runMessage(jobid, 'failed')).toBe('ERROR:  permission denied for function pg_read_file');
    } finally {
      await asPostgres(`select cron.unschedule('whoami')`);
    }
  });

  it('performs GET, POST and DELETE with params and headers, and records the response', async () => {
    const [ids] = await asPostgres<{ get: string; post: string; del: string }>(
      `select
         net.http_get($1 || '/get', params := '{"q":"a b&c"}', headers := '{"X-Custom":"1"}') as get,
         net.http_post($1 || '/post', body := '{"k":"v"}') as post,
         net.http_delete($1 || '/delete?x=1', params := '{"y":"2"}') as del`,
      [targetUrl],
    );
    const get = await responseFor(ids.get);
    expect(get).toMatchObject({
      status_code: 201,
      content_type: 'text/plain',
      content: 'got GET',
      timed_out: false,
      error_msg: null,
    });
    expect(get.headers).toMatchObject({ 'x-target': 'yes' });
    expect((await responseFor(ids.post)).content).toBe('got POST');
    expect((await responseFor(ids.del)).content).toBe('got DELETE');

    const byPath = (prefix: string) => received.find((request) => request.url.startsWith(prefix));
    expect(byPath('/get')).toMatchObject({ method: 'GET', url: '/get?q=a%20b%26c', headers: { 'x-custom': '1' } });
    expect(byPath('/post')).toMatchObject({
      method: 'POST',
      body: '{"k": "v"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(byPath('/delete')).toMatchObject({ method: 'DELETE', url: '/delete?x=1&y=2' });

    const [collected] = await asPostgres<{ status: string; message: string; status_code: number; body: string }>(
      `select (r).status, (r).message, ((r).response).status_code, ((r).response).body from (select net._http_collect_response($1::bigint, async := false) as r) s`,
      [ids.get],
    );
    expect(collected).toEqual({ status: 'SUCCESS', message: 'ok', status_code: 201, body: 'got GET' });
  });

  it('refuses what pg_net refuses', async () => {
    await expect(
      asPostgres(`select net.http_post('${targetUrl}', '{}'::jsonb, headers := '{"Content-Type":"text/plain"}')`),
    ).rejects.toThrow('Content-Type header must be "application/json"');
    await expect(asPostgres(`select net.http_post('${targetUrl}', null::jsonb)`)).rejects.toThrow(
      'body must not be null',
    );
    // API roles may queue requests (as on hosted) but not read the queue or responses.
    await expect(
      adminSql(`do $$ begin set local role anon; perform * from net._http_response; end $$`),
    ).rejects.toThrow(/permission denied/);
  });

  it('reports timeouts and connection failures', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const [ids] = await asPostgres<{ hang: string; refused: string }>(
      `select net.http_get($1 || '/hang', timeout_milliseconds := 300) as hang, net.http_get($2) as refused`,
      [targetUrl, `http://127.0.0.1:${closedPort}/`],
    );
    const hang = await responseFor(ids.hang);
    expect(hang).toMatchObject({
      status_code: null,
      timed_out: true,
      error_msg: expect.stringMatching(/^Timeout of 300 ms reached/),
    });
    expect(await responseFor(ids.refused)).toMatchObject({
      status_code: null,
      timed_out: false,
      error_msg: "Couldn't connect to server",
    });
  });

  it('takes a request only once the transaction that queued it commits', async () => {
    const db = new pg.Client({ connectionString: config.dbUrl });
    await db.connect();
    try {
      await db.query('begin');
      const { rows } = await db.query<{ id: string }>(`select net.http_get($1 || '/after-commit') as id`, [targetUrl]);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(received.some((request) => request.url === '/after-commit')).toBe(false);
      expect(await adminSql('select 1 from net._http_response where id = $1', [rows[0].id])).toHaveLength(0);
      await db.query('commit');
      expect((await responseFor(rows[0].id)).content).toBe('got GET');
    } finally {
      await db.end();
    }
    // A rolled-back request is never sent.
    const rolledBack = new pg.Client({ connectionString: config.dbUrl });
    await rolledBack.connect();
    await rolledBack.query('begin');
    await rolledBack.query(`select net.http_get($1 || '/rolled-back')`, [targetUrl]);
    await rolledBack.query('rollback');
    await rolledBack.end();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.some((request) => request.url === '/rolled-back')).toBe(false);
  });
});
