/**
 * Benchmark of the data model at scale (issue: core data model). Prints, for 100 000 customers /
 * 1 000 000 orders / 1 000 000 favourites:
 *   - the time `data:generate` takes to load them (target < 2 min)
 *   - p50 / p95 of the CRM's hot queries through the REST API (gateway → PostgREST → RLS) as an
 *     admin and as an agent, against the same SQL run directly as the same role (baseline), and
 *     against the same request as service_role (no RLS) — target p95 < 50 ms, REST / SQL ≤ 3,
 *     RLS overhead < 20 %
 *   - whether each query's plan uses indexes (no sequential scan of a big table)
 *
 * The three ways of running a query take turns, request by request, so a busy machine slows
 * them alike and the ratios stay fair.
 *
 * Runs its own instance (`bench`, ports 64321…).
 *   npx tsx scripts/bench/data-model.ts [--runs 200] [--keep-data] [--only '360: profile']
 * --keep-data reuses the instance's data when it already holds the full scale (skips the load).
 */
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';
import { signJwt } from '@cairn/local-stack/lib/jwt.ts';
import { percentile } from './measure.ts';

process.env.CAIRN_STACK = 'bench';
process.env.CAIRN_STACK_PORT_BASE ??= '64321';
const config = stackConfig('bench');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 200;
const keepData = process.argv.includes('--keep-data');
/** `--only <text>` measures just the queries whose name contains the text (for quick comparisons). */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const scale = {
  customers: 100_000,
  orders: 1_000_000,
  favorites: 1_000_000,
  activities: 200_000,
  agents: 20,
  seed: 42,
};

interface Caller {
  name: string;
  token: string;
  claims: Record<string, unknown>;
  role: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
function rest(path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port: config.ports.api,
        path: `/rest/v1${path}`,
        agent,
        headers: { apikey: config.anonKey, authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200)
            return reject(
              new Error(`${path} → HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`),
            );
          resolve(performance.now() - began);
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function sqlAs(db: pg.Client, caller: Caller, text: string, params: unknown[]): Promise<number> {
  const began = performance.now();
  await db.query('begin');
  await db.query(`select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)`, [
    JSON.stringify(caller.claims),
    caller.role,
  ]);
  await db.query(text, params);
  await db.query('commit');
  return performance.now() - began;
}

/** Runs each piece of work in turn, `runs` times after 20 warm-up rounds; one sample list each. */
async function measureInTurn(...works: Array<() => Promise<number>>): Promise<number[][]> {
  const samples = works.map(() => [] as number[]);
  for (let round = 0; round < 20 + runs; round++) {
    for (const [i, work] of works.entries()) {
      const ms = await work();
      if (round >= 20) samples[i].push(ms);
    }
  }
  return samples;
}

/** Starts the instance on its existing data (applying any new migration) and counts its customers. */
async function loadedCustomers(): Promise<number> {
  try {
    await startStack(config);
  } catch {
    return 0;
  }
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    return Number((await db.query<{ n: string }>('select count(*) as n from public.customers')).rows[0].n);
  } catch {
    return 0;
  } finally {
    await db.end();
  }
}

interface Query {
  name: string;
  path: (ctx: Context) => string;
  sql: (ctx: Context) => [string, unknown[]];
}
interface Context {
  customerId: string;
  agentId: string;
  ownerFilter: boolean;
}

const listColumns =
  'id,full_name,email,country,status,lifecycle_stage,lifetime_value,order_count,last_order_at,owner_name,tag_names';
const queries: Query[] = [
  {
    name: 'list: DE + active, by LTV, 50',
    path: (c) =>
      `/customer_list?select=${listColumns}&country=eq.DE&status=eq.active${c.ownerFilter ? `&owner_id=eq.${c.agentId}` : ''}&order=lifetime_value.desc,id.desc&limit=50`,
    sql: (c) => [
      `select id, full_name, email, country, status, lifecycle_stage, lifetime_value, order_count, last_order_at, owner_name, tag_names
       from public.customer_list where country = 'DE' and status = 'active' ${c.ownerFilter ? 'and owner_id = $1' : 'and $1::uuid is not null'}
       order by lifetime_value desc, id desc limit 50`,
      [c.agentId],
    ],
  },
  {
    name: 'search: email prefix',
    path: () => `/rpc/search_customers?query=emma.smith1&result_limit=20`,
    sql: () => [`select * from public.search_customers($1, 20)`, ['emma.smith1']],
  },
  {
    name: 'search: name fragment',
    path: () => `/rpc/search_customers?query=ohanss&result_limit=20`,
    sql: () => [`select * from public.search_customers($1, 20)`, ['ohanss']],
  },
  {
    name: '360: profile',
    path: (c) => `/customer_list?select=*&id=eq.${c.customerId}`,
    sql: (c) => [`select * from public.customer_list where id = $1`, [c.customerId]],
  },
  {
    name: '360: last 50 timeline',
    path: (c) => `/customer_timeline?select=*&customer_id=eq.${c.customerId}&order=occurred_at.desc&limit=50`,
    sql: (c) => [
      `select * from public.customer_timeline where customer_id = $1 order by occurred_at desc limit 50`,
      [c.customerId],
    ],
  },
  {
    name: '360: orders',
    path: (c) =>
      `/orders?select=id,order_number,placed_at,financial_status,currency,total,total_base&customer_id=eq.${c.customerId}&order=placed_at.desc&limit=50`,
    sql: (c) => [
      `select id, order_number, placed_at, financial_status, currency, total, total_base from public.orders where customer_id = $1 order by placed_at desc limit 50`,
      [c.customerId],
    ],
  },
];

function planSummary(plan: unknown): string[] {
  const nodes: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    const type = String(node['Node Type']);
    const relation = node['Relation Name'] ? ` ${node['Relation Name']}` : '';
    const index = node['Index Name'] ? ` (${node['Index Name']})` : '';
    if (/Scan/.test(type) && relation) nodes.push(`${type}${relation}${index}`);
    for (const child of (node.Plans as Array<Record<string, unknown>>) ?? []) walk(child);
  };
  walk((plan as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
  return nodes;
}

async function main(): Promise<void> {
  await stopStack(config);
  let loadSeconds: number | undefined;
  if (keepData && (await loadedCustomers()) >= scale.customers) {
    console.log('Reusing the data already loaded in the bench instance (--keep-data).');
  } else {
    rmSync(config.dataDir, { recursive: true, force: true });
    await startStack(config);
    const began = performance.now();
    console.log(`Loading ${scale.customers} customers, ${scale.orders} orders, ${scale.favorites} favourites…`);
    await generate(config, scale, () => undefined);
    loadSeconds = (performance.now() - began) / 1000;
  }

  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  const admin = (
    await db.query<{ user_id: string }>(`select user_id from public.team_members where email = 'admin@cairn.test'`)
  ).rows[0].user_id;
  // The busiest scale agent, and a customer of theirs with a long history, for the 360 view.
  const { agent_id: agentId } = (
    await db.query<{ agent_id: string }>(
      `select owner_id as agent_id from public.customers c join public.team_members t on t.user_id = c.owner_id
     where t.role = 'agent' group by owner_id order by count(*) desc limit 1`,
    )
  ).rows[0];
  const { id: customerId } = (
    await db.query<{ id: string }>(
      `select id from public.customers where owner_id = $1 order by order_count desc limit 1`,
      [agentId],
    )
  ).rows[0];
  const owned = (
    await db.query<{ n: string }>('select count(*) as n from public.customers where owner_id = $1', [agentId])
  ).rows[0].n;

  const claimsFor = (sub: string) => ({
    sub,
    role: 'authenticated',
    aud: 'authenticated',
    aal: 'aal1',
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
  const callers: Caller[] = [
    {
      name: 'admin',
      token: await signJwt(claimsFor(admin), config.jwtSecret),
      claims: claimsFor(admin),
      role: 'authenticated',
    },
    {
      name: 'agent',
      token: await signJwt(claimsFor(agentId), config.jwtSecret),
      claims: claimsFor(agentId),
      role: 'authenticated',
    },
  ];
  const service: Caller = {
    name: 'service_role',
    token: config.serviceRoleKey,
    claims: { role: 'service_role' },
    role: 'service_role',
  };

  console.log(
    `\nCairn data-model benchmark — ${scale.customers} customers, ${scale.orders} orders, ${scale.favorites} favourites, ${scale.activities} activities`,
  );
  if (loadSeconds !== undefined) console.log(`  data:generate load: ${loadSeconds.toFixed(1)} s (target < 120 s)`);
  console.log(
    `  agent owns ${owned} customers; 360 customer has the most orders of theirs; ${runs} runs per figure after 20 warm-up runs\n`,
  );
  console.log(
    '  query                          caller   REST p50   REST p95    SQL p50  REST/SQL  service p50  RLS overhead  plan',
  );
  const failures: string[] = [];
  for (const caller of callers) {
    const ctx: Context = { customerId, agentId, ownerFilter: caller.name === 'agent' };
    for (const query of queries.filter((q) => only === undefined || q.name.includes(only))) {
      const [text, params] = query.sql(ctx);
      const [restTimes, sqlTimes, serviceTimes] = await measureInTurn(
        () => rest(query.path(ctx), caller.token),
        () => sqlAs(db, caller, text, params),
        () => rest(query.path(ctx), service.token),
      );
      await db.query('begin');
      await db.query(`select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)`, [
        JSON.stringify(caller.claims),
        caller.role,
      ]);
      const plan = (await db.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${text}`, params)).rows[0][
        'QUERY PLAN'
      ];
      await db.query('rollback');
      const scans = planSummary(plan);
      const seqBig = scans.filter((scan) =>
        /^Seq Scan (customers|orders|favorites|activities|order_items)$/.test(scan),
      );
      const p50 = percentile(restTimes, 50);
      const p95 = percentile(restTimes, 95);
      const sqlP50 = percentile(sqlTimes, 50);
      const serviceP50 = percentile(serviceTimes, 50);
      const ratio = p50 / sqlP50;
      const overhead = (p50 / serviceP50 - 1) * 100;
      console.log(
        `  ${query.name.padEnd(30)} ${caller.name.padEnd(7)} ${p50.toFixed(2).padStart(7)} ms ${p95.toFixed(2).padStart(7)} ms ${sqlP50.toFixed(2).padStart(7)} ms ${ratio.toFixed(2).padStart(8)}x ${serviceP50.toFixed(2).padStart(9)} ms ${overhead.toFixed(0).padStart(10)} %  ${
          seqBig.length
            ? `SEQ SCAN: ${seqBig.join(', ')}`
            : scans
                .filter((s) => s.startsWith('Index') || s.startsWith('Bitmap'))
                .slice(0, 2)
                .join(', ') || scans.slice(0, 2).join(', ')
        }`,
      );
      if (p95 >= 50) failures.push(`${query.name} as ${caller.name}: p95 ${p95.toFixed(1)} ms`);
      if (seqBig.length) failures.push(`${query.name} as ${caller.name}: ${seqBig.join(', ')}`);
    }
  }
  await db.end();
  agent.destroy();
  await stopStack(config);
  console.log(
    failures.length
      ? `\nMissed targets:\n  ${failures.join('\n  ')}`
      : '\nAll p95 under 50 ms and every plan uses indexes.',
  );
}

void main().catch(async (error: unknown) => {
  console.error(error);
  await stopStack(config);
  process.exit(1);
});
