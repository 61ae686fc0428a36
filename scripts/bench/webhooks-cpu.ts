/**
 * CPU per order of the webhook path, per process of the stack (profiling aid for
 * `bench:webhooks`): sends fresh simulator orders (a new seed each round, so every order is new)
 * through the gateway to the real `shopify-webhook` function of an instance that is already
 * running — e.g. the one `npx tsx scripts/bench/webhooks.ts --keep` leaves behind — and reads the
 * CPU time of the instance's processes from /proc before and after each send. CPU per order moves
 * far less with a shared machine's load than orders/s do, so rounds of two variants of the code
 * can be compared on the same instance (`--before-sql` / `--after-sql`: files of function
 * definitions applied before the round of each variant, alternating).
 *
 *   npx tsx scripts/bench/webhooks-cpu.ts [--stack bench-wh] [--orders 300] [--rounds 1]
 *        [--concurrency 16] [--seed 1000] [--before-sql a.sql --after-sql b.sql] [--statements 15]
 *
 * Prints, per round: orders, deliveries, orders/s, CPU ms per order for Postgres, each Deno
 * worker, the stack's node process (gateway, functions router) and in total; with --statements N,
 * the N statements with the most execution time over the last round (pg_stat_statements, reset
 * before the round; needs `pg_stat_statements.track = all` to see inside functions).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildDeliveries } from '../data/shopify/payloads.ts';
import { DEMO_SECRET, DEMO_SHOP, sendDeliveries } from '../data/shopify/simulate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { stackCpuSeconds } from './stack-cpu.ts';

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'bench-wh' },
    orders: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'before-sql': { type: 'string' },
    'after-sql': { type: 'string' },
    statements: { type: 'string', default: '0' },
  },
});

const config = stackConfig(values.stack);
const url = `${config.apiUrl}/functions/v1/shopify-webhook`;

async function main(): Promise<void> {
  const orders = Number(values.orders);
  const rounds = Number(values.rounds);
  const variants: Array<{ name: string; sql: string | null }> =
    values['before-sql'] && values['after-sql']
      ? [
          { name: 'before', sql: readFileSync(values['before-sql'], 'utf8') },
          { name: 'after', sql: readFileSync(values['after-sql'], 'utf8') },
        ]
      : [{ name: 'current', sql: null }];
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  const startMs = Date.now() - 3 * 60 * 60_000;
  let seed = Number(values.seed);
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const variant of round % 2 === 0 ? [...variants].reverse() : variants) {
        if (variant.sql) await db.query(variant.sql);
        const deliveries = buildDeliveries({
          shop: DEMO_SHOP,
          secret: DEMO_SECRET,
          startMs,
          orders,
          seed: seed++,
          duplicates: 0.1,
          outOfOrder: 0.1,
        });
        if (Number(values.statements) > 0) await db.query('select extensions.pg_stat_statements_reset()');
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        const before = stackCpuSeconds(config.dataDir);
        const summary = await sendDeliveries(deliveries, {
          url,
          rate: 0,
          concurrency: Number(values.concurrency),
          timeoutMs: 10_000,
        });
        const after = stackCpuSeconds(config.dataDir);
        const perOrder = (kind: string) => ((after.get(kind) ?? 0) - (before.get(kind) ?? 0)) * (1000 / orders);
        const kinds = [...after.keys()]
          .filter((kind) => perOrder(kind) >= 0.05)
          .sort((a, b) => perOrder(b) - perOrder(a));
        const total = kinds.reduce((sum, kind) => sum + perOrder(kind), 0);
        console.log(
          `round ${round} ${variant.name}: ${orders} orders, ${deliveries.length} deliveries, ${summary.failed} failed, ` +
            `${(orders / (summary.durationMs / 1000)).toFixed(1)} orders/s, load ${load}; CPU ms per order: ` +
            kinds.map((kind) => `${kind} ${perOrder(kind).toFixed(2)}`).join(', ') +
            `; total ${total.toFixed(2)}`,
        );
        if (Number(values.statements) > 0) {
          const { rows } = await db.query<{ calls: number; ms: number; query: string }>(
            `select calls::int, round((total_exec_time + total_plan_time)::numeric, 1)::float as ms,
                    left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query
             from extensions.pg_stat_statements order by total_exec_time + total_plan_time desc limit $1`,
            [Number(values.statements)],
          );
          for (const row of rows) console.log(`  ${row.ms} ms  ${row.calls} calls  ${row.query}`);
        }
      }
    }
  } finally {
    await db.end();
  }
}

await main();
