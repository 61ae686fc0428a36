/**
 * Benchmark of conversations (issue 14). Prints, at 100 000 customers and 1 000 000 messages
 * (scaled by --scale):
 *   - the inbox's first page (the app's request: 50 open threads with their customers, newest
 *     first) p50 / p95 through the REST API as an admin and as an agent (target p95 < 300 ms);
 *   - opening a thread of 200 messages (the thread and its messages, the app's two requests in
 *     parallel) p50 / p95 (target < 300 ms);
 *   - an inbound reply, posted to inbound-email as SendGrid Inbound Parse posts it, until the
 *     agent's open inbox has it: the Realtime event on their private channel, then the first page
 *     refetched (target < 2 s);
 *   - a template preview (preview_template through REST) p50 / p95 (target < 100 ms).
 *
 * Runs its own instance (CAIRN_STACK, default `bench-inbox`, ports CAIRN_STACK_PORT_BASE, default
 * 64721…): npx tsx scripts/bench/inbox.ts [--scale 0.1] [--runs 100]
 */
import { rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { generateConversations } from '../data/conversations.ts';
import { generate } from '../data/generate.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';
import { signJwt } from '@cairn/local-stack/lib/jwt.ts';
import { LOCAL_INBOUND_PARSE_SECRET } from '@cairn/local-stack/mail/inbound-parse.ts';
import { percentile } from './measure.ts';

process.env.CAIRN_STACK ??= 'bench-inbox';
process.env.CAIRN_STACK_PORT_BASE ??= '64721';
const config = stackConfig(process.env.CAIRN_STACK);
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const scaleFactor = Number(arg('--scale') ?? 1);
const runs = Number(arg('--runs') ?? 100);
const customers = Math.round(100_000 * scaleFactor);
const messages = Math.round(1_000_000 * scaleFactor);

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
function rest(method: 'GET' | 'POST', path: string, token: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port: config.ports.api,
        method,
        path: `/rest/v1${path}`,
        agent,
        headers: {
          apikey: config.anonKey,
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(performance.now() - began)
            : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const INBOX =
  '/message_threads?select=id,customer_id,subject,status,read_state,last_message_at,last_inbound_at,unread_count,assignee_id,customer:customers(id,first_name,last_name,email,owner_id)&status=eq.open&order=last_message_at.desc.nullslast,id&limit=50';

const figures = (samples: number[]) =>
  `p50 ${percentile(samples, 50).toFixed(1)} ms, p95 ${percentile(samples, 95).toFixed(1)} ms`;

async function sample(work: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < 5; i += 1) await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await work());
  return samples;
}

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);
  const began = performance.now();
  console.log(`Loading ${customers} customers and ${messages} messages (--scale ${scaleFactor})…`);
  await generate(config, { customers, orders: 0, favorites: 0, activities: 0, agents: 20, seed: 42 }, () => undefined);
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    const loaded = await generateConversations(db, { messages, perThread: 5, longThread: 200 });
    console.log(
      `  ${loaded.threads} threads, ${loaded.messages} messages loaded in ${((performance.now() - began) / 1000).toFixed(0)} s`,
    );
    const admin = (
      await db.query<{ user_id: string }>(`select user_id from public.team_members where email = 'admin@cairn.test'`)
    ).rows[0].user_id;
    const agentId = loaded.longThread.ownerId;
    if (!agentId) throw new Error('the long thread has no owner');
    const { rows: owned } = await db.query<{ n: string }>(
      `select count(*) as n from public.message_threads t join public.customers c on c.id = t.customer_id where c.owner_id = $1`,
      [agentId],
    );
    const claims = (sub: string) => ({
      sub,
      role: 'authenticated',
      aud: 'authenticated',
      aal: 'aal1',
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    const adminToken = await signJwt(claims(admin), config.jwtSecret);
    const agentToken = await signJwt(claims(agentId), config.jwtSecret);
    const { rows: templates } = await db.query<{ id: string }>(
      `select id from public.email_templates order by key limit 1`,
    );

    console.log(
      `\nCairn conversations benchmark — ${customers} customers, ${loaded.messages} messages, ${runs} runs each`,
    );
    const inboxAdmin = await sample(() => rest('GET', INBOX, adminToken));
    console.log(`inbox first page, admin (all threads):          ${figures(inboxAdmin)}`);
    const inboxAgent = await sample(() => rest('GET', INBOX, agentToken));
    console.log(`inbox first page, agent (${owned[0].n} threads of theirs): ${figures(inboxAgent)}`);
    const thread = loaded.longThread.id;
    const openThread = await sample(async () => {
      const start = performance.now();
      await Promise.all([
        rest(
          'GET',
          `/message_threads?select=id,subject,status,read_state,customer:customers(id,first_name,last_name,email,owner_id)&id=eq.${thread}`,
          agentToken,
        ),
        rest(
          'GET',
          `/messages?select=id,direction,from_address,to_address,subject,body_text,status,error,created_at,read_at,attachments&thread_id=eq.${thread}&order=created_at.desc,id&limit=200`,
          agentToken,
        ),
      ]);
      return performance.now() - start;
    });
    console.log(`open a thread of 200 messages, agent:            ${figures(openThread)}`);
    if (templates[0]) {
      const preview = await sample(() =>
        rest('POST', '/rpc/preview_template', agentToken, {
          template_id: templates[0].id,
          language: 'de',
          variables: { first_name: 'Lena', product_name: 'Leinenkleid', variant_name: 'M' },
        }),
      );
      console.log(`template preview (preview_template):             ${figures(preview)}`);
    }

    // An inbound reply until the agent's open inbox shows it: the Realtime event on their
    // private channel, then the app's refetch of the first page.
    const supabase = createClient(config.apiUrl, config.anonKey, {
      global: { headers: { Authorization: `Bearer ${agentToken}` } },
      auth: { persistSession: false, autoRefreshToken: false },
      // Node 20 has no WebSocket of its own.
      realtime: { transport: WebSocket as never },
    });
    await supabase.realtime.setAuth(agentToken);
    let arrived: (() => void) | null = null;
    const channel = supabase
      .channel(`inbox:${agentId}`, { config: { private: true } })
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'messages' }, () => arrived?.());
    await new Promise<void>((resolve, reject) =>
      channel.subscribe((status) =>
        status === 'SUBSCRIBED' ? resolve() : status === 'CHANNEL_ERROR' ? reject(new Error(status)) : undefined,
      ),
    );
    const latencies: number[] = [];
    const replies = Math.min(20, runs);
    for (let i = 0; i < replies; i += 1) {
      const form = new FormData();
      form.set('headers', `Message-ID: <bench-${Date.now()}-${i}@scale.cairn.test>\n`);
      form.set('from', 'long@scale.cairn.test');
      form.set('to', `reply+${loaded.longThread.replyToken}@inbound.cairn.localhost`);
      form.set('subject', 'Re: A long conversation');
      form.set('text', `Reply ${i}`);
      form.set('charsets', '{"text":"UTF-8"}');
      form.set('attachments', '0');
      const start = performance.now();
      const heard = new Promise<void>((resolve) => (arrived = resolve));
      const posted = await fetch(
        `${config.apiUrl}/functions/v1/inbound-email?key=${encodeURIComponent(LOCAL_INBOUND_PARSE_SECRET)}`,
        { method: 'POST', body: form },
      );
      if (!posted.ok) throw new Error(`inbound-email: HTTP ${posted.status} ${await posted.text()}`);
      await heard;
      await rest('GET', INBOX, agentToken);
      latencies.push(performance.now() - start);
    }
    await supabase.removeChannel(channel);
    console.log(`inbound reply → in the agent's open inbox:      ${figures(latencies)} (${replies} replies)`);
  } finally {
    await db.end();
    agent.destroy();
    await stopStack(config);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
