/**
 * Benchmark of the local stack itself (issue: foundation). Prints:
 *   - cold start of `supabase:start` (empty data folder: initdb, bootstrap, migrations, seed)
 *   - warm start (existing data folder)
 *   - idle memory (RSS of the supervisor and every process under it, after 5 s idle), and
 *     again with one edge function warm (functions start on first call), plus that call's time
 *   - REST round trip through the gateway vs PostgREST directly (same query, interleaved)
 *
 * Runs its own instance (`bench`, ports 64321…), so a dev stack is never disturbed.
 *   npx tsx scripts/bench/stack.ts [--requests 3000]
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Agent } from 'node:http';
import { stackConfig, TEST_FUNCTIONS_DIR_ENV } from '@cairn/local-stack/config.ts';
import { readState, startStack, stopStack } from '@cairn/local-stack/control.ts';
import { sleep } from '@cairn/local-stack/lib/wait.ts';
import { createBenchItems, percentile, timedGet } from './measure.ts';

process.env.CAIRN_STACK = 'bench';
process.env.CAIRN_STACK_PORT_BASE ??= '64321';
// The function timed below is the test-only `hello` (no dependencies), served from the tests' folder.
process.env[TEST_FUNCTIONS_DIR_ENV] = fileURLToPath(new URL('../testing/fixtures/functions', import.meta.url));
const config = stackConfig('bench');
const requests = Number(process.argv[process.argv.indexOf('--requests') + 1]) || 3000;

function descendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(parents.get(all[i]) ?? []));
  return all;
}

function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    } catch {
      // ended
    }
  }
  return kb / 1024;
}

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  const cold = await startStack(config);
  await stopStack(config);
  const warm = await startStack(config);
  const state = readState(config);
  if (!state) throw new Error('no stack state');

  await sleep(5000);
  const pids = descendants(state.pid);
  const idle = rssMb(pids);

  // Functions start on first call (as edge-runtime workers do): time that, then memory with one warm.
  const invokeHello = async () => {
    const began = performance.now();
    const res = await fetch(`${config.apiUrl}/functions/v1/hello`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.anonKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    if (!res.ok) throw new Error(`hello answered ${res.status}`);
    await res.text();
    return performance.now() - began;
  };
  const functionCold = await invokeHello();
  const functionWarm: number[] = [];
  for (let i = 0; i < 50; i++) functionWarm.push(await invokeHello());
  await sleep(2000);
  const withFunction = rssMb(descendants(state.pid));

  await createBenchItems(config.adminDbUrl, 'anon');

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const path = '/bench_items?select=id,name&id=eq.42';
  const headers = { apikey: config.anonKey, authorization: `Bearer ${config.anonKey}` };
  const direct: number[] = [];
  const viaGateway: number[] = [];
  for (let i = 0; i < 200; i++) {
    await timedGet(agent, config.ports.postgrest, path, headers);
    await timedGet(agent, config.ports.api, `/rest/v1${path}`, headers);
  }
  for (let i = 0; i < requests; i++) {
    direct.push(await timedGet(agent, config.ports.postgrest, path, headers));
    viaGateway.push(await timedGet(agent, config.ports.api, `/rest/v1${path}`, headers));
  }
  agent.destroy();
  await stopStack(config);

  const p50d = percentile(direct, 50);
  const p50g = percentile(viaGateway, 50);
  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log('Cairn local stack benchmark');
  console.log(`  cold start (empty data folder)   ${(cold.ms / 1000).toFixed(2)} s   target < 60 s`);
  console.log(`  warm start                       ${(warm.ms / 1000).toFixed(2)} s   target < 15 s`);
  console.log(`  idle memory, ${pids.length} processes        ${idle.toFixed(0)} MB RSS   target < 600 MB`);
  console.log(`  with one function warm            ${withFunction.toFixed(0)} MB RSS`);
  console.log(`  function call: cold ${functionCold.toFixed(0)} ms, warm p50 ${fmt(percentile(functionWarm, 50))}`);
  console.log(`  REST round trip, ${requests} requests each, interleaved, keep-alive:`);
  console.log(`    PostgREST direct   p50 ${fmt(p50d)}   p95 ${fmt(percentile(direct, 95))}`);
  console.log(`    through gateway    p50 ${fmt(p50g)}   p95 ${fmt(percentile(viaGateway, 95))}`);
  console.log(`    gateway overhead   p50 ${fmt(p50g - p50d)}   ratio ${(p50g / p50d).toFixed(2)}x   target < 1 ms`);
}

void main().catch(async (error: unknown) => {
  console.error(error);
  await stopStack(config);
  process.exit(1);
});
