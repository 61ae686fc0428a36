/**
 * What verifying an ES256 user token costs against an HS256 one (issue 17). Prints:
 *   - a REST read as a signed-in user, PostgREST direct and through the gateway, with the same
 *     claims signed HS256 (legacy secret) and ES256 (the signing key), interleaved, the token
 *     reused as an app reuses its session's (PostgREST's JWT cache holds its claims);
 *   - a token's first request, with fresh tokens (what PostgREST's verification itself costs);
 *   - one verification in the stack's own servers (GoTrue stand-in, Storage, Realtime,
 *     functions' verify_jwt all call JwtKeys.verify), per algorithm.
 *
 * Runs its own instance (`bench-jwt`, ports 64421…, auth and gateway only).
 *   npx tsx scripts/bench/jwt-verification.ts [--requests 3000]
 */
import { rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { startStack, stopStack } from '@cairn/local-stack/control.ts';
import { CLI_DEFAULT_SIGNING_KEY, JwtKeys, signJwt } from '@cairn/local-stack/lib/jwt.ts';
import { createBenchItems, percentile, timedGet } from './measure.ts';

process.env.CAIRN_STACK = 'bench-jwt';
process.env.CAIRN_STACK_PORT_BASE ??= '64421';
process.env.CAIRN_STACK_PARTS ??= 'auth,gateway';
const config = stackConfig('bench-jwt');
const requests = Number(process.argv[process.argv.indexOf('--requests') + 1]) || 3000;
const firstUses = 500;

async function main(): Promise<void> {
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  await startStack(config);

  await createBenchItems(config.adminDbUrl, 'authenticated');

  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: '00000000-0000-4000-8000-000000000042',
    role: 'authenticated',
    aud: 'authenticated',
    iat: now,
    exp: now + 3600,
    aal: 'aal1',
    session_id: '00000000-0000-4000-8000-000000000043',
  };
  const keys = new JwtKeys(config.jwtSecret, [CLI_DEFAULT_SIGNING_KEY]);
  const tokens = { HS256: await signJwt(claims, config.jwtSecret), ES256: await keys.sign(claims) };

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const path = '/bench_items?select=id,name&id=eq.42';
  const headers = (token: string) => ({ apikey: config.anonKey, authorization: `Bearer ${token}` });
  const targets = [
    { name: 'PostgREST direct', port: config.ports.postgrest, path },
    { name: 'through gateway', port: config.ports.api, path: `/rest/v1${path}` },
  ];
  const times: Record<string, number[]> = {};
  for (const target of targets) for (const alg of ['HS256', 'ES256']) times[`${target.name} ${alg}`] = [];
  for (let i = 0; i < 200; i++)
    for (const target of targets)
      for (const token of Object.values(tokens)) await timedGet(agent, target.port, target.path, headers(token));
  for (let i = 0; i < requests; i++) {
    for (const target of targets) {
      for (const [alg, token] of Object.entries(tokens)) {
        times[`${target.name} ${alg}`].push(await timedGet(agent, target.port, target.path, headers(token)));
      }
    }
  }
  // A token's first request: PostgREST verifies it (its JWT cache then holds the claims until
  // the token's exp). Fresh tokens, each used once, show that cost.
  const firstUse: Record<string, number[]> = { HS256: [], ES256: [] };
  const fresh = async (alg: string, i: number) => {
    const unique = { ...claims, jti: `${alg}-${i}` };
    return alg === 'HS256' ? signJwt(unique, config.jwtSecret) : keys.sign(unique);
  };
  for (let i = 0; i < firstUses; i++) {
    for (const alg of ['HS256', 'ES256'])
      firstUse[alg].push(await timedGet(agent, config.ports.postgrest, path, headers(await fresh(alg, i))));
  }
  agent.destroy();
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });

  // The stack's own verification (what each request to auth, storage, realtime, functions pays).
  const inProcess: Record<string, number> = {};
  for (const [alg, token] of Object.entries(tokens)) {
    for (let i = 0; i < 500; i++) await keys.verify(token);
    const rounds = 5000;
    const began = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) await keys.verify(token);
    inProcess[alg] = Number(process.hrtime.bigint() - began) / 1e6 / rounds;
  }

  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log('JWT verification: HS256 (legacy secret) vs ES256 (signing key)');
  console.log(`  REST read as a user, ${requests} requests each, interleaved, keep-alive:`);
  for (const target of targets) {
    const hs = times[`${target.name} HS256`];
    const es = times[`${target.name} ES256`];
    console.log(
      `    ${target.name.padEnd(17)} HS256 p50 ${fmt(percentile(hs, 50))} p95 ${fmt(percentile(hs, 95))}   ES256 p50 ${fmt(percentile(es, 50))} p95 ${fmt(percentile(es, 95))}   ES256 adds p50 ${fmt(percentile(es, 50) - percentile(hs, 50))}   target < 0.2 ms`,
    );
  }
  console.log(
    `  a token's first request (PostgREST direct, ${firstUses} fresh tokens each): HS256 p50 ${fmt(percentile(firstUse.HS256, 50))}, ES256 p50 ${fmt(percentile(firstUse.ES256, 50))}, ES256 adds ${fmt(percentile(firstUse.ES256, 50) - percentile(firstUse.HS256, 50))} once per token`,
  );
  console.log(
    `  in-process JwtKeys.verify: HS256 ${fmt(inProcess.HS256)}, ES256 ${fmt(inProcess.ES256)} per token (mean)`,
  );
}

void main().catch(async (error: unknown) => {
  console.error(error);
  await stopStack(config);
  process.exit(1);
});
