/**
 * Scheduled jobs are visible (review L-5 and the job-health criterion): `public.job_health()`
 * gives admins, per pg_cron job, the last run, its status and its error — counting the HTTP
 * answer of a job that calls an edge function through pg_net, so a check-alerts answered 401
 * shows as failed, not as the `succeeded` pg_cron records for the queued request. Everyone
 * else is refused (role matrix). A probe job calls check-alerts every second the way its
 * schedule does, first with a wrong secret in Vault, then with the right one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { type Cast, createCast } from '../../../scripts/testing/support/team.ts';

const PROBE = 'job-health-probe';

interface JobHealth {
  job_name: string;
  schedule: string;
  active: boolean;
  last_run_at: string | null;
  last_status: string;
  last_error: string | null;
}

let cast: Cast;
let realSecret: string;

async function healthOf(name: string): Promise<JobHealth | undefined> {
  const { data, error } = await cast.client('admin').rpc('job_health');
  expect(error).toBeNull();
  return (data as JobHealth[]).find((row) => row.job_name === name);
}

async function waitForStatus(name: string, status: string, since: Date, timeoutMs = 15_000): Promise<JobHealth> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await healthOf(name);
    if (row?.last_status === status && row.last_run_at && new Date(row.last_run_at) >= since) return row;
    if (Date.now() > deadline) throw new Error(`${name} not ${status} within ${timeoutMs} ms: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const setSecret = (value: string) =>
  adminSql(`select vault.update_secret(id, $1) from vault.secrets where name = 'cron_secret'`, [value]);

beforeAll(async () => {
  cast = await createCast('job-health');
  [{ secret: realSecret }] = await adminSql<{ secret: string }>(
    `select decrypted_secret as secret from vault.decrypted_secrets where name = 'cron_secret'`,
  );
});

afterAll(async () => {
  await adminSql(`select cron.unschedule(jobid) from cron.job where jobname = $1`, [PROBE]);
  if (realSecret) await setSecret(realSecret);
  await cast.end();
});

describe('job_health', () => {
  it('lists every scheduled job with its schedule for an admin', async () => {
    const { data, error } = await cast.client('admin').rpc('job_health');
    expect(error).toBeNull();
    const names = (data as JobHealth[]).map((row) => row.job_name);
    expect(names).toEqual(
      expect.arrayContaining(['check-alerts', 'retry-failed-shopify-webhooks', 'purge-retained-data']),
    );
    expect((data as JobHealth[]).find((row) => row.job_name === 'check-alerts')?.schedule).toBe('*/5 * * * *');
  });

  it('shows a scheduled call answered non-2xx as failed, with the answer; and a good run as succeeded', async () => {
    await setSecret('a-wrong-secret-of-some-length-000000');
    const start = new Date(Date.now() - 1000);
    await adminSql(
      `select cron.schedule($1, '1 seconds', $$select private.call_scheduled_function('job-health-probe', 'check-alerts', '{"source":"cron"}')$$)`,
      [PROBE],
    );
    const failed = await waitForStatus(PROBE, 'failed', start);
    expect(failed.last_error).toMatch(/^HTTP 401/);
    // pg_cron itself recorded the run as succeeded: only the answer tells.
    const [run] = await adminSql<{ status: string }>(
      `select d.status from cron.job_run_details d join cron.job j using (jobid)
       where j.jobname = $1 and d.status in ('succeeded', 'failed') order by d.start_time desc limit 1`,
      [PROBE],
    );
    expect(run.status).toBe('succeeded');

    await setSecret(realSecret);
    const fixed = await waitForStatus(PROBE, 'succeeded', new Date());
    expect(fixed.last_error).toBeNull();
    await adminSql(`select cron.unschedule(jobid) from cron.job where jobname = $1`, [PROBE]);
  }, 45_000);

  it('shows a run that failed in SQL (a missing Vault secret) as failed with its message', async () => {
    await adminSql(`delete from vault.secrets where name = 'cron_secret'`);
    try {
      const start = new Date(Date.now() - 1000);
      await adminSql(
        `select cron.schedule($1, '1 seconds', $$select private.call_scheduled_function('job-health-probe', 'check-alerts', '{}')$$)`,
        [PROBE],
      );
      const failed = await waitForStatus(PROBE, 'failed', start);
      expect(failed.last_error).toContain('cron_secret');
    } finally {
      await adminSql(`select cron.unschedule(jobid) from cron.job where jobname = $1`, [PROBE]);
      await adminSql(`select vault.create_secret($1, 'cron_secret', 'secret scheduled function calls send')`, [
        realSecret,
      ]);
    }
  }, 45_000);

  it('tells waiting, no answer, an answer no longer kept and never run apart', async () => {
    const cases: Array<[string, string | null, string, string | null]> = [
      // [name, call made this long ago (null: never ran), expected status, expected error]
      ['job-health-waiting', '10 seconds', 'waiting', null],
      ['job-health-no-answer', '10 minutes', 'failed', 'no answer recorded for the call'],
      ['job-health-answer-gone', '7 hours', 'unknown', null],
      ['job-health-never', null, 'never_run', null],
    ];
    try {
      for (const [name, ago] of cases) {
        // A schedule that never fires during the test; its run and call are written as pg_cron
        // and call_scheduled_function would have written them.
        const [{ jobid }] = await adminSql<{ jobid: string }>(
          `select cron.schedule($1, '0 0 1 1 *', 'select 1') as jobid`,
          [name],
        );
        if (ago === null) continue;
        await adminSql(
          `insert into cron.job_run_details (jobid, database, username, command, status, return_message, start_time, end_time)
           values ($1, 'postgres', 'postgres', 'select 1', 'succeeded', '1 row', now() - $2::interval, now() - $2::interval)`,
          [jobid, ago],
        );
        await adminSql(
          `insert into private.scheduled_calls (job_name, request_id, called_at)
           values ($1, -1 - (random() * 1e9)::bigint, now() - $2::interval + interval '1 second')`,
          [name, ago],
        );
      }
      const { data, error } = await cast.client('admin').rpc('job_health');
      expect(error).toBeNull();
      for (const [name, , status, message] of cases) {
        const row = (data as JobHealth[]).find((job) => job.job_name === name);
        expect({ name, status: row?.last_status, error: row?.last_error }).toEqual({ name, status, error: message });
      }
    } finally {
      await adminSql(`select cron.unschedule(jobid) from cron.job where jobname like 'job-health-%'`);
    }
  });

  it('is refused to everyone but admins (role matrix)', async () => {
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as const) {
      const { data, error } = await cast.client(caller).rpc('job_health');
      expect(data, caller).toBeNull();
      expect(error?.code, caller).toBe('42501');
    }
    // The call log behind it is not exposed at all.
    for (const caller of ['admin', 'anon'] as const) {
      await expect(cast.sql(caller, 'select count(*) from private.scheduled_calls')).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        cast.sql(caller, `select private.call_scheduled_function('x', 'check-alerts', '{}')`),
      ).rejects.toThrow(/permission denied/);
    }
  });
});
