/**
 * Benchmark of the automation engine (issue 16): "handles 10 000 trigger events per minute with
 * every step exactly once". At `--scale 1`: 10 000 customers tagged at once (10 000 tag_added
 * events, captured by the database's trigger → 10 000 enrolments), then the engine
 * (public.run_flows, chunks of 500) run by two workers at once, one of which is killed mid-chunk
 * once, until every passage is done. Each passage runs four steps (add a tag, create a task, set
 * the stage, remove the tag), so 40 000 steps.
 * Prints the capture time, the engine's time and rate, and checks every step exactly once
 * (duplicates: a step with two effects; missing: a step never done). Last line:
 *   automation <n> events/min, duplicates <d>, missing <m> (target: >= 10000/min, 0, 0: met|MISSED)
 * The engine's schedule is switched off in this instance, so only the bench's workers run it.
 * With `--scheduled` there are no bench workers: the database's own pg_cron jobs (run-automation-
 * flows every minute, work-automation-backlog every 5 seconds) work the queue, and the bench kills
 * the backend of one of their chunks once, mid-chunk; the engine's time runs until every passage
 * is completed.
 *
 * Own instance `bench-auto` (ports from CAIRN_STACK_PORT_BASE, default 61721), wiped first:
 *   npx tsx scripts/bench/automation.ts [--scale 0.5] [--scheduled] [--keep]   (npm run bench:automation)
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';

process.env.CAIRN_STACK = 'bench-auto';
process.env.CAIRN_STACK_PORT_BASE ??= '61721';
const config = stackConfig('bench-auto');
const argument = (name: string) => process.argv[process.argv.indexOf(`--${name}`) + 1];
const scaleFactor = Number(process.argv.includes('--scale') ? argument('scale') : 1);
if (!(scaleFactor > 0 && scaleFactor <= 10)) throw new Error('--scale must be in (0, 10]');
const events = Math.max(10, Math.round(10_000 * scaleFactor));
const STEPS = 4;
const BATCH = 500;
const scheduled = process.argv.includes('--scheduled');

interface ChunkResult {
  passages: number;
  steps: number;
  set_steps?: number;
  rounds_rolled_back?: number;
}
/** What the chunks that committed reported, over all workers. */
const totals = { steps: 0, setSteps: 0, roundsRolledBack: 0 };

async function worker(name: string, killAfterChunks: number | null): Promise<{ chunks: number; killed: boolean }> {
  let chunks = 0;
  let killed = false;
  for (;;) {
    const db = new pg.Client({ connectionString: config.adminDbUrl });
    db.on('error', () => undefined);
    await db.connect();
    try {
      for (;;) {
        if (killAfterChunks !== null && !killed && chunks === killAfterChunks) {
          // Dies mid-chunk: the chunk runs in an open transaction and the connection is killed.
          await db.query('begin');
          await db.query('select public.run_flows($1)', [BATCH]);
          const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
          const killer = new pg.Client({ connectionString: config.adminDbUrl });
          await killer.connect();
          await killer.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
          await killer.end();
          killed = true;
          console.log(`  ${name}: killed mid-chunk after ${chunks} chunks`);
          break;
        }
        const { rows } = await db.query<{ r: ChunkResult }>('select public.run_flows($1) as r', [BATCH]);
        chunks += 1;
        const r = rows[0]?.r;
        totals.steps += r?.steps ?? 0;
        totals.setSteps += r?.set_steps ?? 0;
        totals.roundsRolledBack += r?.rounds_rolled_back ?? 0;
        if ((r?.passages ?? 0) === 0) return { chunks, killed };
      }
    } finally {
      await db.end().catch(() => undefined);
    }
  }
}

/** --scheduled: waits until every passage is completed, killing one of the scheduler's chunks once. */
async function watchSchedule(db: pg.Client): Promise<{ killed: boolean }> {
  let killed = false;
  const deadline = performance.now() + 15 * 60_000;
  for (;;) {
    const {
      rows: [state],
    } = await db.query<{ completed: number; pid: number | null }>(
      `select (select count(*)::int from public.flow_enrolments where state = 'completed') as completed,
              (select pid from pg_stat_activity where application_name = 'pg_cron' and state = 'active'
                 and query like '%run_flows%' limit 1) as pid`,
    );
    if (!state) throw new Error('no state row');
    if (state.completed >= events) return { killed };
    if (!killed && state.pid !== null && state.completed >= Math.min(1500, events / 4)) {
      await db.query('select pg_terminate_backend($1)', [state.pid]);
      killed = true;
      console.log(`  a scheduled chunk killed mid-chunk after ${state.completed} passages completed`);
    }
    if (performance.now() > deadline)
      throw new Error(`only ${state.completed} of ${events} passages completed in 15 min`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  console.log(
    `automation bench: ${events} trigger events, ${STEPS} steps each, ` +
      (scheduled
        ? 'worked by the database schedule (a chunk of 500 every minute; two workers of 500-chunks, due every 5 s, back to back while any passage is due)'
        : `chunks of ${BATCH}, 2 workers`),
  );
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    if (!scheduled) {
      await db.query(
        `update cron.job set active = false where jobname in ('run-automation-flows', 'work-automation-backlog', 'work-automation-backlog-2', 'send-automation-emails')`,
      );
    }
    const {
      rows: [tags],
    } = await db.query<{ trigger: string; marker: string }>(
      `with t as (insert into public.tags (name) values ('bench trigger'), ('bench marker') returning id, name)
       select (select id from t where name = 'bench trigger') as trigger, (select id from t where name = 'bench marker') as marker`,
    );
    await db.query(`insert into public.flows (name, status, trigger, steps) values ('Bench flow', 'active', $1, $2)`, [
      { type: 'tag_added', tag_id: tags?.trigger },
      JSON.stringify([
        { id: 'mark', kind: 'add_tag', tag_id: tags?.marker },
        { id: 'task', kind: 'create_task', subject: 'Bench task' },
        { id: 'stage', kind: 'set_stage', stage: 'lead' },
        { id: 'unmark', kind: 'remove_tag', tag_id: tags?.marker },
      ]),
    ]);
    await db.query(
      `insert into public.customers (first_name, last_name, email)
       select 'Bench', i::text, 'bench-' || i || '@example.test' from generate_series(1, $1) i`,
      [events],
    );

    // The events: every customer tagged in one statement; the trigger enrols each.
    let started = performance.now();
    await db.query(
      `insert into public.customer_tags (customer_id, tag_id) select id, $1 from public.customers where first_name = 'Bench'`,
      [tags?.trigger],
    );
    const captureMs = performance.now() - started;
    const {
      rows: [{ enrolled }],
    } = await db.query<{ enrolled: number }>(`select count(*)::int as enrolled from public.flow_enrolments`);
    console.log(`  capture: ${enrolled} enrolments in ${captureMs.toFixed(0)} ms`);

    started = performance.now();
    if (scheduled) {
      const { killed } = await watchSchedule(db);
      const {
        rows: [runs],
      } = await db.query<{ runs: string }>(
        `select string_agg(j.jobname || ' ' || n, ', ') as runs
         from (select jobid, count(*) as n from cron.job_run_details
               where command like '%run_flows%' group by jobid) d join cron.job j using (jobid)`,
      );
      const engineMs = performance.now() - started;
      console.log(
        `  engine: ${(engineMs / 1000).toFixed(1)} s (scheduled runs: ${runs?.runs ?? 'none'}, a chunk killed once: ${killed})`,
      );
      await report(db, captureMs, engineMs);
    } else {
      const [a, b] = await Promise.all([worker('worker 1', 3), worker('worker 2', null)]);
      // A last pass picks up what the killed chunk left.
      await worker('sweep', null);
      const engineMs = performance.now() - started;
      console.log(
        `  engine: ${(engineMs / 1000).toFixed(1)} s (${a.chunks + b.chunks} chunks, a worker killed once: ${a.killed})`,
      );
      console.log(
        `  steps reported by committed chunks: ${totals.steps}, of which in sets ${totals.setSteps}; rounds rolled back ${totals.roundsRolledBack}`,
      );
      await report(db, captureMs, engineMs);
    }
  } finally {
    await db.end();
    if (!process.argv.includes('--keep')) await stopStack(config);
  }
}

/** Every step exactly once, and the last line. */
async function report(db: pg.Client, captureMs: number, engineMs: number): Promise<void> {
  const {
    rows: [check],
  } = await db.query<{
    steps: number;
    tasks: number;
    duplicate_tasks: number;
    completed: number;
    duplicate_runs: number;
  }>(
    `select (select count(*)::int from public.flow_step_runs where step_key not in ('entered', 'exited')) as steps,
              (select count(*)::int from public.activities where subject = 'Bench task') as tasks,
              (select count(*)::int from (select customer_id from public.activities where subject = 'Bench task'
                                          group by 1 having count(*) > 1) d) as duplicate_tasks,
              (select count(*)::int from public.flow_enrolments where state = 'completed') as completed,
              (select count(*)::int from (select enrolment_id, step_key from public.flow_step_runs group by 1, 2 having count(*) > 1) d) as duplicate_runs`,
  );
  if (!check) throw new Error('no check row');
  const duplicates = check.duplicate_tasks + check.duplicate_runs + Math.max(0, check.tasks - events);
  const missing = events * STEPS - check.steps + Math.max(0, events - check.tasks) + (events - check.completed);
  const perMinute = Math.round(events / ((captureMs + engineMs) / 60_000));
  console.log(
    `  steps done ${check.steps} / ${events * STEPS}, tasks ${check.tasks}, passages completed ${check.completed}`,
  );
  const met = perMinute >= 10_000 && duplicates === 0 && missing === 0;
  console.log(
    `automation ${perMinute} events/min, duplicates ${duplicates}, missing ${missing} (target: >= 10000/min, 0, 0: ${met ? 'met' : 'MISSED'})`,
  );
}

await main();
