/**
 * pg_cron's background worker: every second, reads the active jobs from `cron.job` (once a
 * migration has created the extension) and runs the due ones, each on its own connection to
 * the job's database as the job's user, recording the run in `cron.job_run_details`
 * (running → succeeded / failed, with pg_cron's return_message).
 */
import pg from 'pg';
import type { StackContext } from '../context.ts';
import { cronMatches, parseSchedule, type Schedule } from './schedule.ts';

interface JobRow {
  jobid: string;
  schedule: string;
  command: string;
  database: string;
  username: string;
  jobname: string | null;
}

/** pg_cron's cron.max_running_jobs is 32; Supabase advises at most 8 concurrent jobs, and this machine is small. */
const MAX_RUNNING = 8;

export interface Scheduler {
  close(): Promise<void>;
}

export function startScheduler(ctx: StackContext): Scheduler {
  const { db, log, config } = ctx;
  const running = new Map<string, Promise<void>>();
  /** Jobs that came due while their previous run was still running: pg_cron queues such a run. */
  const queued = new Map<string, JobRow>();
  const clients = new Set<pg.Client>();
  /** Per job: the schedule text last seen and, for '[N] seconds' jobs, the last start (ms). */
  const intervals = new Map<string, { schedule: string; lastStart: number }>();
  const invalid = new Set<string>();
  const bootedAt = Date.now();
  const rebooted = new Set<string>();
  let lastMinute = Math.floor(Date.now() / 60_000);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const connectionFor = (database: string) => {
    const url = new URL(config.adminDbUrl);
    url.pathname = `/${encodeURIComponent(database)}`;
    return url.toString();
  };

  async function tick(): Promise<void> {
    const present = await db.query<{ ok: boolean }>(`select to_regclass('cron.job') is not null as ok`);
    if (!present.rows[0]?.ok) return;
    const { rows } = await db.query<JobRow>(
      'select jobid, schedule, command, database, username, jobname from cron.job where active order by jobid',
    );
    const now = Date.now();
    const minute = Math.floor(now / 60_000);
    // Minutes that began since the last tick (normally zero or one; capped after a long stall).
    const newMinutes: number[] = [];
    for (let m = Math.max(lastMinute + 1, minute - 5); m <= minute; m += 1) newMinutes.push(m);
    lastMinute = minute;

    const seen = new Set<string>();
    for (const job of rows) {
      seen.add(job.jobid);
      const schedule = parse(job);
      if (schedule && isDue(job, schedule, now, newMinutes)) start(job);
    }
    for (const jobid of intervals.keys()) if (!seen.has(jobid)) intervals.delete(jobid);
  }

  function parse(job: JobRow): Schedule | null {
    try {
      const schedule = parseSchedule(job.schedule);
      invalid.delete(job.jobid);
      return schedule;
    } catch (error) {
      if (!invalid.has(job.jobid)) log.warn(`job ${job.jobid}: ${(error as Error).message}`);
      invalid.add(job.jobid);
      return null;
    }
  }

  function isDue(job: JobRow, schedule: Schedule, now: number, newMinutes: number[]): boolean {
    if (schedule.kind === 'reboot') {
      // @reboot jobs run once when the scheduler starts (as pg_cron runs them at server start).
      if (rebooted.has(job.jobid) || now - bootedAt > 5_000) return false;
      rebooted.add(job.jobid);
      return true;
    }
    if (schedule.kind === 'interval') {
      const state = intervals.get(job.jobid);
      // A new job (or a changed schedule) runs at once, then every N seconds after each start.
      if (!state || state.schedule !== job.schedule) {
        intervals.set(job.jobid, { schedule: job.schedule, lastStart: now });
        return true;
      }
      if (now - state.lastStart < schedule.seconds * 1000 - 200) return false;
      state.lastStart = now;
      return true;
    }
    return newMinutes.some((m) => cronMatches(schedule, new Date(m * 60_000)));
  }

  function start(job: JobRow): void {
    // pg_cron runs at most one instance of a job at a time: a run due meanwhile is queued and
    // starts as soon as the running one completes (one queued run, as a tick sees a job once).
    if (running.has(job.jobid)) {
      queued.set(job.jobid, job);
      return;
    }
    if (running.size >= MAX_RUNNING) {
      log.warn(`job ${job.jobid} skipped: ${MAX_RUNNING} jobs already running`);
      return;
    }
    const run = runJob(job)
      .catch((error: unknown) => log.error(`job ${job.jobid} could not be recorded`, error))
      .finally(() => {
        running.delete(job.jobid);
        const next = queued.get(job.jobid);
        queued.delete(job.jobid);
        if (next && !stopped) start(next);
      });
    running.set(job.jobid, run);
  }

  async function runJob(job: JobRow): Promise<void> {
    const inserted = await db.query<{ runid: string }>(
      `insert into cron.job_run_details (jobid, database, username, command, status, start_time)
       values ($1, $2, $3, $4, 'starting', now()) returning runid`,
      [job.jobid, job.database, job.username, job.command],
    );
    const runid = inserted.rows[0].runid;
    const finish = (status: 'succeeded' | 'failed', message: string) =>
      db.query(`update cron.job_run_details set status = $2, return_message = $3, end_time = now() where runid = $1`, [
        runid,
        status,
        message,
      ]);

    const client = new pg.Client({ connectionString: connectionFor(job.database), application_name: 'pg_cron' });
    client.on('error', () => undefined);
    clients.add(client);
    try {
      await client.connect();
      const pid = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      await db.query(`update cron.job_run_details set status = 'running', job_pid = $2 where runid = $1`, [
        runid,
        pid.rows[0].pid,
      ]);
      // As if the job's user had connected (pg_cron connects as cron.job.username).
      await client.query(`set session authorization ${client.escapeIdentifier(job.username)}`);
      const result = (await client.query(job.command)) as pg.QueryResult | pg.QueryResult[];
      await finish('succeeded', returnMessage(Array.isArray(result) ? result[result.length - 1] : result));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`job ${job.jobname ?? job.jobid} failed: ${message}`);
      await finish('failed', `ERROR:  ${message}`);
    } finally {
      clients.delete(client);
      await client.end().catch(() => undefined);
    }
  }

  const loop = async () => {
    if (stopped) return;
    await tick().catch((error: unknown) => log.error('cron tick failed', error));
    if (stopped) return;
    // Aligned to whole seconds, so '1 seconds' jobs and minute boundaries are hit on time.
    timer = setTimeout(() => void loop(), 1000 - (Date.now() % 1000) + 5);
  };
  void loop();

  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      // Give running jobs a moment, then cut their connections (Postgres rolls them back).
      const settled = Promise.all(running.values());
      const graceOver = new Promise<void>((resolve) => setTimeout(resolve, 3000).unref());
      await Promise.race([settled, graceOver]);
      await Promise.all([...clients].map((client) => client.end().catch(() => undefined)));
      await settled;
    },
  };
}

/** What pg_cron writes to return_message: "N row(s)" for queries, the command tag otherwise. */
export function returnMessage(result: pg.QueryResult | undefined): string {
  if (!result) return '';
  const rows = result.rowCount ?? 0;
  if (result.fields.length > 0) return `${rows} ${rows === 1 ? 'row' : 'rows'}`;
  const command = result.command ?? '';
  if (command === 'INSERT') return `INSERT 0 ${rows}`;
  if (['UPDATE', 'DELETE', 'MERGE', 'COPY', 'MOVE', 'FETCH', 'SELECT'].includes(command)) return `${command} ${rows}`;
  return command;
}
