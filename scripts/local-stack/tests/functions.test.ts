/**
 * Edge Functions contract: the test-only `hello` function (scripts/testing/fixtures/functions,
 * served because the test setup names that folder) through the gateway with supabase-js, the
 * runtime's JWT checks and error bodies, and — on a second functions server over a
 * throw-away functions folder — environment, boot failures, crashes, streaming, cold-start
 * serialisation and reload on change, so no test-only function lives in supabase/functions.
 */
import { FunctionsHttpError } from '@supabase/supabase-js';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../src/context.ts';
import { findFunction, functionsDir, listFunctions } from '../src/functions/catalog.ts';
import { startFunctions } from '../src/functions/server.ts';
import { createPool } from '../src/lib/db.ts';
import { signJwt } from '../src/lib/jwt.ts';
import type { Logger } from '../src/lib/log.ts';
import { waitFor } from '../src/lib/wait.ts';
import { loadSettings } from '../src/settings.ts';
import { anonClient, client, config, serviceClient } from '../src/testing.ts';
import { freePort } from '../src/lib/ports.ts';

const functionsUrl = `${config.apiUrl}/functions/v1`;
const now = () => Math.floor(Date.now() / 1000);

async function errorBody(error: unknown): Promise<{ status: number; body: unknown }> {
  expect(error).toBeInstanceOf(FunctionsHttpError);
  const response = (error as FunctionsHttpError).context as Response;
  const text = await response.text();
  return {
    status: response.status,
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

describe('hello through the gateway (supabase-js functions.invoke)', () => {
  it('greets with the anon key and reports the anon role', async () => {
    const { data, error } = await anonClient().functions.invoke('hello', { body: { name: 'Ada' } });
    expect(error).toBeNull();
    expect(data).toEqual({ message: 'Hello Ada', role: 'anon' });
  });

  it('reports the service_role role for the service key', async () => {
    const { data, error } = await serviceClient().functions.invoke('hello', { body: { name: 'Ops' } });
    expect(error).toBeNull();
    expect(data).toEqual({ message: 'Hello Ops', role: 'service_role' });
  });

  it("reports a signed-in user's role from their access token", async () => {
    const token = await signJwt(
      { sub: crypto.randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now(), exp: now() + 600 },
      config.jwtSecret,
    );
    const { data, error } = await client(config.anonKey, { accessToken: token }).functions.invoke('hello', {
      body: { name: 'Grace' },
    });
    expect(error).toBeNull();
    expect(data).toEqual({ message: 'Hello Grace', role: 'authenticated' });
  });

  it('accepts the opaque publishable key (the gateway maps it to the anon JWT)', async () => {
    const { data, error } = await client(config.publishableKey).functions.invoke('hello', { body: { name: 'Key' } });
    expect(error).toBeNull();
    expect(data).toEqual({ message: 'Hello Key', role: 'anon' });
  });

  it('answers 400 with the error shape for an invalid body', async () => {
    const supabase = anonClient();
    const tooLong = await supabase.functions.invoke('hello', { body: { name: 'x'.repeat(101) } });
    expect(tooLong.data).toBeNull();
    const first = await errorBody(tooLong.error);
    expect(first.status).toBe(400);
    expect(first.body).toEqual({ error: { code: 'invalid_request', message: expect.stringMatching(/^name: /) } });

    const missing = await errorBody((await supabase.functions.invoke('hello', { body: {} })).error);
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });

    // A string body goes out as text/plain and is not JSON.
    const notJson = await errorBody((await supabase.functions.invoke('hello', { body: 'Ada' })).error);
    expect(notJson).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'The body must be JSON' } },
    });
  });

  it('accepts a name of exactly 100 characters', async () => {
    const { data, error } = await anonClient().functions.invoke('hello', { body: { name: 'y'.repeat(100) } });
    expect(error).toBeNull();
    expect(data).toEqual({ message: `Hello ${'y'.repeat(100)}`, role: 'anon' });
  });

  it('refuses other methods with 405', async () => {
    const { error } = await anonClient().functions.invoke('hello', { method: 'GET' });
    expect(await errorBody(error)).toEqual({
      status: 405,
      body: { error: { code: 'method_not_allowed', message: 'Use POST' } },
    });
  });

  it('answers 404 "Function not found" for an unknown function', async () => {
    const { error } = await anonClient().functions.invoke('no-such-function', { body: {} });
    expect(await errorBody(error)).toEqual({ status: 404, body: 'Function not found' });
  });

  it('does not treat _shared as a function', async () => {
    const response = await fetch(`${functionsUrl}/_shared/cors.ts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.anonKey}` },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Function not found');
  });
});

describe('test-only functions', () => {
  const settings = loadSettings(config.root);

  it('are served from the folder the test setup names, never from supabase/functions', () => {
    expect(config.testFunctionsDir).toMatch(/fixtures[/\\]functions$/);
    expect(findFunction(config, settings, 'hello')?.dir).toBe(path.join(config.testFunctionsDir ?? '', 'hello'));
    expect(existsSync(path.join(functionsDir(config), 'hello'))).toBe(false);
  });

  it('do not exist for an instance that is not told of them (dev)', () => {
    const dev = { ...config, testFunctionsDir: null };
    expect(findFunction(dev, settings, 'hello')).toBeNull();
    expect(listFunctions(dev, settings).map((spec) => spec.name)).not.toContain('hello');
    expect(listFunctions(dev, settings).map((spec) => spec.name)).toContain('shopify-webhook');
  });
});

describe('verify_jwt (raw HTTP)', () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${functionsUrl}/hello`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: '{"name":"x"}',
    });

  it('answers 401 without any key or Authorization header', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"msg":"Error: Missing authorization header"}');
  });

  it('answers 401 Invalid JWT for a tampered, foreign, expired or malformed token', async () => {
    const foreign = await signJwt({ role: 'anon', iat: now() }, 'another-secret-that-is-at-least-32-characters');
    const expired = await signJwt({ role: 'anon', iat: now() - 7200, exp: now() - 3600 }, config.jwtSecret);
    for (const token of [`${config.anonKey.slice(0, -2)}xx`, foreign, expired, 'not.a.jwt', 'garbage']) {
      const response = await post({ Authorization: `Bearer ${token}` });
      expect(response.status, token).toBe(401);
      expect(await response.json()).toEqual({ msg: 'Invalid JWT' });
    }
  });

  it('lets a valid JWT without exp through (only the signature is checked, not the role)', async () => {
    const token = await signJwt({ role: 'some-custom-role' }, config.jwtSecret);
    const response = await post({ Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Hello x', role: 'some-custom-role' });
  });

  it('lets a CORS preflight reach the function without a JWT', async () => {
    const response = await fetch(`http://127.0.0.1:${config.ports.functions}/hello`, { method: 'OPTIONS' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('answers the health check', async () => {
    const response = await fetch(`http://127.0.0.1:${config.ports.functions}/_internal/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'ok' });
  });
});

/** A functions server of its own over a temporary supabase/functions folder. */
describe('the runner (temporary functions folder)', () => {
  let root: string;
  let service: Service;
  let base: string;
  const lines: string[] = [];
  const pool = createPool(config.adminDbUrl, 1);
  const capture = (name: string): Logger => ({
    info: (message) => lines.push(`[${name}] ${message}`),
    warn: (message) => lines.push(`[${name}] ${message}`),
    error: (message) => lines.push(`[${name}] ${message}`),
    child: (child) => capture(`${name}:${child}`),
  });
  const write = (file: string, text: string) => {
    const full = path.join(root, 'supabase', 'functions', file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  const call = (name: string, init: RequestInit = {}) =>
    fetch(`${base}/${name}`, {
      ...init,
      headers: { Authorization: `Bearer ${config.anonKey}`, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'cairn-functions-'));
    write(
      '.env',
      '# secrets for local runs\nGREETING="hi there"\nexport PLAIN = value # comment\nSUPABASE_URL=http://ignored.example\n',
    );
    write(
      'echo-env/index.ts',
      `Deno.serve(async (req) => {
        const url = new URL(req.url);
        const env = Object.fromEntries(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_DB_URL',
          'SUPABASE_PUBLISHABLE_KEYS', 'SUPABASE_SECRET_KEYS', 'SENDGRID_API_URL', 'GREETING', 'PLAIN', 'HOME', 'CAIRN_STACK'].map((k) => [k, Deno.env.get(k) ?? null]));
        console.log('echo-env handled ' + req.method);
        return Response.json({ env, method: req.method, path: url.pathname, query: url.search, test: req.headers.get('x-test'), body: await req.text() });
      });`,
    );
    write('boot-fail/index.ts', `throw new Error('boom at boot');\n`);
    write('crash/index.ts', `Deno.serve(() => { Deno.exit(3); });\n`);
    write(
      'stream/index.ts',
      `Deno.serve(() => new Response(new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('first;'));
          await new Promise((resolve) => setTimeout(resolve, 600));
          controller.enqueue(new TextEncoder().encode('second'));
          controller.close();
        },
      })));`,
    );
    write(
      'slow-boot/index.ts',
      `await new Promise((resolve) => setTimeout(resolve, 400));\nDeno.serve(() => new Response('booted'));\n`,
    );
    write('open/index.ts', `Deno.serve(() => new Response('open'));\n`);
    write('disabled/index.ts', `Deno.serve(() => new Response('should not run'));\n`);
    write('version/index.ts', `Deno.serve(() => new Response('v1'));\n`);
    write('_shared/util.ts', `export const shared = 1;\n`);

    const settings = loadSettings(config.root);
    settings.functions = {
      ...settings.functions,
      open: { verifyJwt: false, enabled: true },
      disabled: { verifyJwt: true, enabled: false },
    };
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = await startFunctions({
      config: { ...config, root, ports: { ...config.ports, functions: port } },
      settings,
      db: pool,
      log: capture('functions'),
      mail: { deliver: async () => ({ id: 'unused' }) },
    });
  });

  afterAll(async () => {
    await service?.close();
    await pool.end();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives functions the CLI environment plus supabase/functions/.env, and nothing of the host', async () => {
    expect(process.env.CAIRN_STACK).toBeTruthy();
    const response = await call('echo-env/sub/path?x=1&y=two', {
      method: 'PUT',
      headers: { 'x-test': 'yes' },
      body: 'payload',
    });
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as {
      env: Record<string, string | null>;
      method: string;
      path: string;
      query: string;
      test: string;
      body: string;
    };
    expect(echoed.env).toEqual({
      SUPABASE_URL: config.apiUrl,
      SUPABASE_ANON_KEY: config.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
      SUPABASE_DB_URL: config.dbUrl,
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: config.publishableKey }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: config.secretKey }),
      SENDGRID_API_URL: config.mailUrl,
      GREETING: 'hi there',
      PLAIN: 'value',
      HOME: null,
      CAIRN_STACK: null,
    });
    expect(echoed).toMatchObject({
      method: 'PUT',
      path: '/echo-env/sub/path',
      query: '?x=1&y=two',
      test: 'yes',
      body: 'payload',
    });
    await waitFor(
      'function stdout in the stack log',
      async () => lines.some((line) => line.includes('[functions:echo-env] echo-env handled PUT')),
      5000,
    );
  });

  it('answers 503 BOOT_ERROR when the function throws while booting, and logs why', async () => {
    const response = await call('boot-fail', { method: 'POST' });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
    expect(lines.some((line) => line.includes('[functions:boot-fail]') && line.includes('boom at boot'))).toBe(true);
  });

  it('answers 500 WORKER_ERROR when the function dies mid-request, then boots it again', async () => {
    const response = await call('crash', { method: 'POST' });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'WORKER_ERROR' });
    const again = await call('crash', { method: 'POST' });
    expect(again.status).toBe(500);
    expect(lines.filter((line) => line.includes('[functions:crash] booted')).length).toBe(2);
  });

  it('streams the response as the function writes it', async () => {
    const started = Date.now();
    const response = await call('stream');
    if (!response.body) throw new Error('no body');
    const reader = response.body.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - started;
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('second');
    expect(Date.now() - started - firstAt).toBeGreaterThanOrEqual(450);
  });

  it('boots a function once for concurrent cold requests', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => call('slow-boot')));
    expect(await Promise.all(responses.map((response) => response.text()))).toEqual(Array(5).fill('booted'));
    expect(lines.filter((line) => line.includes('[functions:slow-boot] booted')).length).toBe(1);
  });

  it('honours verify_jwt = false and enabled = false from config.toml', async () => {
    const open = await fetch(`${base}/open`);
    expect(open.status).toBe(200);
    expect(await open.text()).toBe('open');
    const disabled = await call('disabled');
    expect(disabled.status).toBe(404);
    expect(await disabled.text()).toBe('Function not found');
    const guarded = await fetch(`${base}/version`);
    expect(guarded.status).toBe(401);
  });

  it('reloads a function when its files change', async () => {
    expect(await (await call('version')).text()).toBe('v1');
    write('version/index.ts', `Deno.serve(() => new Response('v2'));\n`);
    await waitFor('the new version', async () => (await (await call('version')).text()) === 'v2', 10_000, 100);
    const bootsBefore = lines.filter((line) => line.includes('[functions:version] booted')).length;
    write('_shared/util.ts', `export const shared = 2;\n`);
    await waitFor(
      'a reload after _shared changed',
      async () => {
        await call('version');
        return lines.filter((line) => line.includes('[functions:version] booted')).length > bootsBefore;
      },
      10_000,
      100,
    );
  });
});
