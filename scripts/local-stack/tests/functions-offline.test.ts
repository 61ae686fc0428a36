/**
 * L-14: Edge Functions never fetch packages at run time. `npm install` (postinstall) or the first
 * `supabase:start` caches every function's dependencies (scripts/local-stack/src/functions/cache.ts); the
 * runtime starts Deno with `--cached-only` and hands it the machine's CA settings. Here every
 * function of supabase/functions (and the test-only `hello`, which needs no package) boots and
 * answers with the network blocked (proxies pointing at
 * a closed port), and a function whose package is not cached fails at once instead of downloading.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheIsCurrent } from '../src/functions/cache.ts';
import { functionEnv, listFunctions, type FunctionSpec } from '../src/functions/catalog.ts';
import { WorkerPool } from '../src/functions/workers.ts';
import type { Logger } from '../src/lib/log.ts';
import { loadSettings } from '../src/settings.ts';
import { config } from '../src/testing.ts';

const settings = loadSettings(config.root);
const lines: string[] = [];
const log: Logger = {
  info: (line) => lines.push(line),
  warn: (line) => lines.push(line),
  error: (line) => lines.push(line),
  child: () => log,
};
const BLOCKED = 'http://127.0.0.1:9';
const offlineEnv = () => ({
  ...functionEnv(config),
  HTTP_PROXY: BLOCKED,
  HTTPS_PROXY: BLOCKED,
  http_proxy: BLOCKED,
  https_proxy: BLOCKED,
  NO_PROXY: '',
  no_proxy: '',
});
const pool = new WorkerPool({ log, env: offlineEnv, bootTimeoutMs: 30_000 });
const scratch = mkdtempSync(path.join(tmpdir(), 'cairn-offline-fn-'));

afterAll(async () => {
  await pool.close();
  rmSync(scratch, { recursive: true, force: true });
});

function preflight(port: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'OPTIONS',
        path: `/${name}`,
        headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('functions without the network', () => {
  it('finds the dependency cache current (filled by npm install or supabase:start)', () => {
    expect(cacheIsCurrent(config, settings)).toBe(true);
  });

  it('hands the machine’s CA settings to Deno', () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/corp-proxy.pem',
      DENO_TLS_CA_STORE: 'system',
    });
    try {
      expect(functionEnv(config)).toMatchObject({
        SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
        NODE_EXTRA_CA_CERTS: '/etc/ssl/corp-proxy.pem',
        DENO_TLS_CA_STORE: 'system',
        DENO_CERT: '/etc/ssl/corp-proxy.pem',
      });
    } finally {
      process.env = saved;
    }
  });

  const functions = listFunctions(config, settings);
  it('lists every function of supabase/functions, and the test-only ones', () => {
    expect(functions.map((spec) => spec.name)).toEqual(
      expect.arrayContaining(['hello', 'send-email', 'shopify-webhook', 'check-alerts', 'invite-member']),
    );
  });

  it.each(functions.map((spec) => [spec.name, spec] as [string, FunctionSpec]))(
    '%s boots and answers with the network blocked',
    async (_name, spec) => {
      const worker = await pool.acquire(spec);
      try {
        const status = await preflight(worker.port, spec.name);
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
      } finally {
        pool.release(worker);
      }
    },
    60_000,
  );

  it('a package that is not cached fails the boot at once instead of being downloaded', async () => {
    const dir = path.join(scratch, 'uncached');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(path.join(scratch, 'deno.json'), JSON.stringify({ nodeModulesDir: 'none' }));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'index.ts'),
      "import leftPad from 'npm:left-pad@1.3.0';\nDeno.serve(() => new Response(leftPad('x', 3)));\n",
    );
    const spec: FunctionSpec = {
      name: 'uncached',
      dir,
      entrypoint: path.join(dir, 'index.ts'),
      configArgs: ['--config', path.join(scratch, 'deno.json')],
      verifyJwt: false,
    };
    lines.length = 0;
    const began = Date.now();
    await expect(pool.acquire(spec)).rejects.toThrow(/exited before listening/);
    expect(Date.now() - began).toBeLessThan(15_000);
    expect(lines.join('\n')).toMatch(/--cached-only/);
  }, 60_000);
});
