/**
 * Benchmark of campaign sending (issue 16). A campaign to `--scale` recipients (default 100 000)
 * is frozen by send_campaign as a manager, then sent by the send-campaigns function (woken by the
 * database, kept going by its pg_cron schedule and by three callers standing in for overlapping
 * scheduled runs) through the stack's SendGrid-compatible catcher — while the function's Deno
 * process is killed twice (SIGKILL, at about 30 % and 60 %). Counted at the catcher by the
 * custom arg `cairn_send` (campaign:customer): every recipient must have exactly one email.
 *
 * Prints the time to send, emails per second, duplicates and missing, and last:
 *   campaign <n> emails/s, duplicates <d>, missing <m> (target: < 300 s, 0, 0: met|MISSED)
 *
 * Runs its own instance (`bench-camp`, ports 61421…, or CAIRN_STACK_PORT_BASE): npx tsx scripts/bench/campaign.ts [--scale 100000]
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';

process.env.CAIRN_STACK = 'bench-camp';
process.env.CAIRN_STACK_PORT_BASE ??= '61421';
const config = stackConfig('bench-camp');
const flag = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const scale = Number(flag('--scale')) || 100_000;
const TARGET_SECONDS = 300;
const KILLS_AT = [0.3, 0.6];
/** The callers' tuning: batches of 1 000 (one mail-send request each), a short lease, a short settle. */
const BATCH = 1000;
const LEASE_SECONDS = 20;
const SETTLE_SECONDS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The send-campaigns Deno processes of this instance (their environment names its API URL). */
function senderPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!command.includes('send-campaigns')) continue;
      const environment = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environment.includes(`SUPABASE_URL=${config.apiUrl}`)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  console.log(`Loading ${scale} customers…`);
  await generate(
    config,
    { customers: scale, orders: 0, favorites: 0, activities: 0, agents: 1, seed: 16 },
    () => undefined,
  );

  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    const {
      rows: [manager],
    } = await db.query<{ user_id: string }>(
      `update public.team_members set role = 'manager'
       where user_id = (select user_id from public.team_members where role = 'agent' order by created_at, user_id limit 1) returning user_id`,
    );
    await db.query(`set session_replication_role = replica`);
    await db.query(`
      insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
      select id, 'email', 'marketing', 'granted', 'signup_form', created_at from public.customers where email is not null`);
    await db.query(`set session_replication_role = origin`);
    // The benchmark measures sending: nobody is in quiet hours, the cap is not reached.
    await db.query(`update public.alert_settings set quiet_hours_start = null, quiet_hours_end = null`);
    await db.query(`update public.workspace_settings set postal_address = 'Cairn Outdoor, 1 Harbour Road, Leith'`);
    const {
      rows: [template],
    } = await db.query<{ id: string }>(
      `insert into public.email_templates (key, name, purpose) values ('bench-campaign', 'Bench', 'marketing') returning id`,
    );
    await db.query(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
       values ($1, 'en', 'Hello {{first_name}}', '<p>Hello {{first_name}}, <a href="https://shop.example/">shop</a></p>', 'Hello {{first_name}}')`,
      [template.id],
    );
    // Everyone: the plan re-checks consent per recipient (the excluded are counted), so the audience
    // rule itself stays cheap.
    const rules = { match: 'all', conditions: [{ field: 'lifetime_value', op: 'gte', value: 0 }] };
    const {
      rows: [segment],
    } = await db.query<{ id: string }>(
      `insert into public.segments (owner_id, name, rules, shared) values ($1, 'Bench audience', $2, true) returning id`,
      [manager.user_id, JSON.stringify(rules)],
    );
    const {
      rows: [campaign],
    } = await db.query<{ id: string }>(
      `insert into public.campaigns (name, segment_id, template_id) values ('Bench', $1, $2) returning id`,
      [segment.id, template.id],
    );

    // Sent as the manager (their JWT claims, the way PostgREST sets them).
    const began = performance.now();
    await db.query('begin');
    await db.query(`set local role authenticated`);
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ sub: manager.user_id, role: 'authenticated', aal: 'aal1' }),
    ]);
    const {
      rows: [started],
    } = await db.query<{ result: { queued: number; excluded: number; deferred: number } }>(
      `select public.send_campaign($1) as result`,
      [campaign.id],
    );
    await db.query('commit');
    const freezeMs = performance.now() - began;
    const expected = started.result.queued;
    console.log(
      `Frozen ${expected} recipients in ${(freezeMs / 1000).toFixed(1)} s (excluded ${started.result.excluded}, deferred ${started.result.deferred})`,
    );

    const sentCount = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `select count(*) as n from public.campaign_recipients where campaign_id = $1 and state = 'sent'`,
            [campaign.id],
          )
        ).rows[0].n,
      );
    const status = async () =>
      (await db.query<{ status: string }>(`select status from public.campaigns where id = $1`, [campaign.id])).rows[0]
        .status;

    let finished = false;
    const caller = async () => {
      while (!finished) {
        try {
          await fetch(`${config.apiUrl}/functions/v1/send-campaigns`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${config.serviceRoleKey}`,
              apikey: config.serviceRoleKey,
              'Content-Type': 'application/json',
            },
            body: JSON.stringify({
              source: 'bench',
              batch_size: BATCH,
              max_seconds: 20,
              rate_per_second: 20000,
              lease_seconds: LEASE_SECONDS,
              settle_seconds: SETTLE_SECONDS,
            }),
          }).then((response) => response.text());
        } catch {
          // the runtime was killed mid-request: call again, as the next scheduled run would
        }
        await sleep(100);
      }
    };
    const callers = [caller(), caller(), caller()];
    const kills: string[] = [];
    while (!['done', 'cancelled', 'paused'].includes(await status())) {
      const sent = await sentCount();
      if (kills.length < KILLS_AT.length && sent >= expected * KILLS_AT[kills.length]) {
        const pids = senderPids();
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        kills.push(`${sent} sent: killed ${pids.length} process(es)`);
        console.log(`  kill ${kills.length} at ${sent} sent (${pids.length} process(es))`);
      }
      if (performance.now() - began > 30 * 60_000) throw new Error('still sending after 30 minutes');
      await sleep(250);
    }
    const seconds = (performance.now() - began) / 1000;
    const sendingSeconds = seconds - freezeMs / 1000;
    finished = true;
    await Promise.all(callers);

    const answer = (await (
      await fetch(`${config.mailUrl}/api/v1/custom-args?key=cairn_send&prefix=${campaign.id}:`)
    ).json()) as { values: Record<string, number> };
    const counts = Object.values(answer.values);
    const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const missing = expected - counts.length;
    const { rows: states } = await db.query<{ state: string; n: string }>(
      `select state, count(*) as n from public.campaign_recipients where campaign_id = $1 group by state order by state`,
      [campaign.id],
    );
    const { rows: resolved } = await db.query<{ n: string }>(
      `select count(*) as n from public.campaign_recipients where campaign_id = $1 and attempts > 1`,
      [campaign.id],
    );
    console.log(`Recipients by state: ${states.map((row) => `${row.state} ${row.n}`).join(', ')}`);
    console.log(`Claimed more than once (settled after a kill): ${resolved[0].n}; kills: ${kills.length}`);
    console.log(`Emails at the catcher: ${counts.reduce((sum, n) => sum + n, 0)} for ${counts.length} recipients`);
    console.log(
      `Sent ${expected} in ${seconds.toFixed(1)} s (freeze included); sending alone ${sendingSeconds.toFixed(1)} s, ${(expected / sendingSeconds).toFixed(0)} emails/s`,
    );
    const rate = expected / seconds;
    const met = seconds * (100_000 / Math.max(expected, 1)) < TARGET_SECONDS && duplicates === 0 && missing === 0;
    console.log(
      `campaign ${rate.toFixed(0)} emails/s, duplicates ${duplicates}, missing ${missing} (target: < ${TARGET_SECONDS} s, 0, 0: ${met ? 'met' : 'MISSED'})`,
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
