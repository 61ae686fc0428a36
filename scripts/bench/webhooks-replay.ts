/**
 * Database CPU of the webhook path, without the HTTP hops (profiling aid for `bench:webhooks`):
 * replays deliveries already stored on an instance (by `bench:webhooks --keep` or
 * `webhooks-cpu.ts`) through `public.ingest_shopify_webhook` in one connection, for a new shop
 * created for the replay, inside one transaction that is rolled back — so the work is the same
 * every time and nothing stays. Reads the backend's CPU time from /proc before and after. With
 * `--before-sql` / `--after-sql` (files of function definitions), the two variants are applied
 * (inside the transaction, so they roll back too) and replayed alternately.
 *
 *   npx tsx scripts/bench/webhooks-replay.ts [--stack bench-wh] [--deliveries 1000] [--rounds 3]
 *        [--before-sql a.sql --after-sql b.sql]
 *
 * Prints, per replay: deliveries, orders written, backend CPU ms per delivery, wall time, load.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { processCpuMs as cpuMs } from './measure.ts';

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'bench-wh' },
    deliveries: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    'before-sql': { type: 'string' },
    'after-sql': { type: 'string' },
  },
});
const config = stackConfig(values.stack);

async function main(): Promise<void> {
  const variants: Array<{ name: string; sql: string | null }> =
    values['before-sql'] && values['after-sql']
      ? [
          { name: 'before', sql: readFileSync(values['before-sql'], 'utf8') },
          { name: 'after', sql: readFileSync(values['after-sql'], 'utf8') },
        ]
      : [{ name: 'current', sql: null }];
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    const pid = (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    // The stored deliveries of the simulator's demo shop, oldest first: the stream as it arrived.
    const { rows: ids } = await db.query<{ id: string }>(
      `select w.id from public.webhook_deliveries w join public.shops s on s.id = w.shop_id
       where s.domain = 'cairn-demo.myshopify.com' order by w.id limit $1`,
      [Number(values.deliveries)],
    );
    const first = ids[0].id;
    const last = ids[ids.length - 1].id;
    for (let round = 1; round <= Number(values.rounds); round++) {
      for (const variant of round % 2 === 0 ? [...variants].reverse() : variants) {
        await db.query('begin');
        try {
          if (variant.sql) await db.query(variant.sql);
          await db.query(
            `insert into public.shops (name, domain, currency) values ('Replay', 'replay-' || $1 || '.myshopify.com', 'EUR')`,
            [round],
          );
          // Plans and function caches warm, as in a pooled connection: the first replay of each
          // variant is not counted separately, every replay pays the same.
          const before = cpuMs(pid);
          const started = process.hrtime.bigint();
          const { rows } = await db.query<{ orders: number }>(
            `select count(*) filter (where r ->> 'status' = 'applied' and w.topic like 'orders/%')::int as orders
             from public.webhook_deliveries w
             cross join lateral (
               select public.ingest_shopify_webhook(
                 'replay-' || $3 || '.myshopify.com', w.topic, w.event_id, w.webhook_id, w.triggered_at, w.api_version,
                 w.payload, w.record, null, null) as r
             ) x
             join public.shops s on s.id = w.shop_id and s.domain = 'cairn-demo.myshopify.com'
             where w.id between $1 and $2`,
            [first, last, round],
          );
          const cpu = cpuMs(pid) - before;
          const wall = Number(process.hrtime.bigint() - started) / 1e6;
          const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
          console.log(
            `round ${round} ${variant.name}: ${ids.length} deliveries, ${rows[0].orders} order deliveries applied, ` +
              `backend CPU ${cpu} ms (${(cpu / ids.length).toFixed(3)} ms per delivery), ` +
              `wall ${wall.toFixed(0)} ms, load ${load}`,
          );
        } finally {
          await db.query('rollback');
        }
      }
    }
  } finally {
    await db.end();
  }
}

await main();
