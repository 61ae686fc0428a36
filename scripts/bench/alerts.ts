/**
 * Benchmark of the alert engine (issue 5). Prints:
 *   - a full check over 1 000 000 favourites with 10 000 changed variants (5 000 restocks and
 *     5 000 price drops of 15 %): the time of `run_alert_check()` (target < 30 s), how many
 *     decisions it wrote, and the time of a re-run (nothing left to do);
 *   - alert emails rendered and handed to the mail API (the stack's SendGrid-compatible catcher)
 *     per second, by check-alerts itself over HTTP (target ≥ 100 / s).
 *
 * Runs its own instance (`bench-al`, ports 64621…): npx tsx scripts/bench/alerts.ts [--seconds 20]
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';

process.env.CAIRN_STACK = 'bench-al';
process.env.CAIRN_STACK_PORT_BASE ??= '64621';
const config = stackConfig('bench-al');
const sendSeconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 20;
const scale = { customers: 100_000, orders: 10_000, favorites: 1_000_000, activities: 1_000, agents: 20, seed: 42 };
const CHANGED = 10_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const began = performance.now();
  const result = await work();
  return [result, performance.now() - began];
}

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  console.log(`Loading ${scale.customers} customers and ${scale.favorites} favourites…`);
  const [, loadMs] = await timed(() => generate(config, scale, () => undefined));
  console.log(`  loaded in ${seconds(loadMs)}`);

  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    // 80 % of the scale shoppers consented to alert emails (fixtures: triggers off, as generate does).
    await db.query(`set session_replication_role = replica`);
    await db.query(`
      insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
      select id, 'email', 'alerts', 'granted', 'signup_form', created_at
      from public.customers where email like '%' and abs(hashtext(id::text)) % 10 < 8`);
    await db.query(`set session_replication_role = origin`);
    // The send benchmark measures sending, so nobody is in quiet hours (they defer, cheaply).
    await db.query(`update public.alert_settings set quiet_hours_start = null, quiet_hours_end = null`);
    await db.query(`select cron.alter_job(jobid, active := false) from cron.job where jobname = 'check-alerts'`);

    // The changes, made the way Shopify sync makes them (triggers on: history rows and the
    // engine's queue). Restocks need an out-of-stock variant first; that is not an event.
    const { rows: variants } = await db.query<{ id: string }>(
      `select v.id from public.product_variants v
       where exists (select 1 from public.favorites f where f.variant_id = v.id)
       order by v.id limit ${CHANGED}`,
    );
    const restocked = variants.slice(0, CHANGED / 2).map((v) => v.id);
    const dropped = variants.slice(CHANGED / 2).map((v) => v.id);
    await db.query(`update public.product_variants set inventory_quantity = 0 where id = any($1::uuid[])`, [restocked]);
    await db.query(`delete from private.alert_check_events`);
    await db.query(`set cairn.change_source = 'shopify'`);
    const [, changeMs] = await timed(async () => {
      await db.query(`update public.product_variants set inventory_quantity = 12 where id = any($1::uuid[])`, [
        restocked,
      ]);
      await db.query(`update public.product_variants set price = round(price * 0.85, 2) where id = any($1::uuid[])`, [
        dropped,
      ]);
    });
    const { rows: queue } = await db.query<{ n: string }>(`select count(*) as n from private.alert_check_events`);
    const { rows: watching } = await db.query<{ n: string }>(
      `select count(*) as n from public.favorites where variant_id = any($1::uuid[])`,
      [variants.map((v) => v.id)],
    );
    console.log(
      `  ${CHANGED} variants changed in ${seconds(changeMs)}: ${queue[0].n} events, ${watching[0].n} favourites watching them`,
    );
    await db.query(`analyze`);

    // ─── The check, through check-alerts over HTTP (two chunked transactions side by side) ──
    const invoke = async (body: Record<string, unknown>) => {
      const response = await fetch(`${config.apiUrl}/functions/v1/check-alerts`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${config.serviceRoleKey}`,
          apikey: config.serviceRoleKey,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const result = (await response.json()) as {
        check: { events: number; queued: number; suppressed: number } | null;
        check_ms: number;
        claimed: number;
        sent: number;
        failed: number;
        ms: number;
      };
      if (response.status !== 200) throw new Error(`check-alerts: HTTP ${response.status} ${JSON.stringify(result)}`);
      return result;
    };
    const [first, firstMs] = await timed(() => invoke({ check_only: true }));
    const [, rerunMs] = await timed(() => invoke({ check_only: true }));
    console.log(
      `\nFull check: ${seconds(first.check_ms)} in the function, ${seconds(firstMs)} for the HTTP call (target < 30 s) — ` +
        `${first.check?.events} events → ${first.check?.queued} queued, ${first.check?.suppressed} suppressed`,
    );
    console.log(`Re-run (nothing new): ${rerunMs.toFixed(0)} ms`);

    // ─── Sending, through check-alerts over HTTP ────────────────────────────────────────────
    const run = await invoke({ send_only: true, max_seconds: sendSeconds, batch_size: 500 });
    const { rows: states } = await db.query<{ state: string; n: string }>(
      `select state, count(*) as n from public.alert_log group by state order by state`,
    );
    const mails = (await (await fetch(`${config.mailUrl}/api/v1/messages?limit=1`)).json()) as { total?: number };
    console.log(
      `\nSending: ${run.sent} emails sent (${run.failed} failed, ${run.claimed} claimed) in ${seconds(run.ms)} = ` +
        `${((run.sent / run.ms) * 1000).toFixed(0)} emails/s (target ≥ 100 / s)`,
    );
    console.log(
      `  alert_log: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}; mail catcher total: ${mails.total ?? '?'}`,
    );
  } finally {
    await db.end();
    await stopStack(config);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
