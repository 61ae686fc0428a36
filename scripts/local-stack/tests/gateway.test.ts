import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { PostgrestClient } from '@supabase/postgrest-js';
import { StorageClient } from '@supabase/storage-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '../src/testing.ts';

const rest = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(`${config.apiUrl}/rest/v1${path}`, { ...init, headers: { apikey: config.anonKey, ...headers } });

describe('API gateway', () => {
  beforeAll(async () => {
    await adminSql(`
      create table if not exists public.gw_items (id bigint primary key, secret boolean not null default false);
      alter table public.gw_items enable row level security;
      drop policy if exists "anyone reads non-secret items" on public.gw_items;
      create policy "anyone reads non-secret items" on public.gw_items for select to anon, authenticated using (not secret);
      insert into public.gw_items values (1, false), (2, true) on conflict do nothing;
      notify pgrst, 'reload schema';`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  it('answers an unknown route like Kong', async () => {
    const res = await fetch(`${config.apiUrl}/nowhere/v1/x`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'no Route matched with those values' });
  });

  it('answers CORS preflights itself, reflecting the requested headers', async () => {
    const res = await fetch(`${config.apiUrl}/rest/v1/gw_items`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'apikey,authorization,x-client-info',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('apikey,authorization,x-client-info');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('adds CORS to proxied responses', async () => {
    const res = await rest('/gw_items?select=id');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('passes a JWT apikey on as it is when no Authorization is sent: PostgREST, seeing no Bearer, runs as anon', async () => {
    const res = await rest('/gw_items?select=id&order=id');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: 1 }]);
    // The CLI's Kong sets Authorization to the bare apikey (no `Bearer `), so even the
    // service_role key, sent alone, reads as anon; postgrest-js given only the header shows it.
    const bare = new PostgrestClient(`${config.apiUrl}/rest/v1`, { headers: { apikey: config.serviceRoleKey } });
    expect((await bare.from('gw_items').select('id').order('id')).data).toEqual([{ id: 1 }]);
    // Storage strips an optional `Bearer `, so the bare key still identifies service_role there.
    const storage = new StorageClient(`${config.apiUrl}/storage/v1`, { apikey: config.serviceRoleKey });
    expect((await storage.listBuckets()).error).toBeNull();
  });

  it('maps the publishable key to the anon role and the secret key to service_role', async () => {
    const anon = await rest('/gw_items?select=id&order=id', {
      apikey: config.publishableKey,
      authorization: `Bearer ${config.publishableKey}`,
    });
    expect(await anon.json()).toEqual([{ id: 1 }]);
    const service = await rest('/gw_items?select=id&order=id', {
      apikey: config.secretKey,
      authorization: `Bearer ${config.secretKey}`,
    });
    expect(await service.json()).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('keeps a user Authorization header over the apikey', async () => {
    const res = await rest('/gw_items?select=id', { apikey: config.serviceRoleKey, authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'PGRST301' });
  });

  it('keeps a connection usable after an upstream refused a body before reading it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, body?: Buffer) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${config.apiUrl}${path}`,
          {
            method: body ? 'POST' : 'GET',
            agent,
            headers: { apikey: config.anonKey, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const oversized = Buffer.from(JSON.stringify({ email: 'x@example.test', password: 'x'.repeat(3 * 1024 * 1024) }));
    // Several rounds: whether the upstream has read the whole body when it refuses is a race.
    for (let round = 0; round < 8; round++) {
      expect(await send('/auth/v1/signup', oversized)).toBe(413);
      const began = Date.now();
      expect(await send('/auth/v1/health')).toBe(200);
      expect(Date.now() - began).toBeLessThan(1000);
    }
    agent.destroy();
  });

  it('passes PostgREST errors through unchanged', async () => {
    const res = await rest('/no_such_table');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: '42P01' });
  });
});

describe('API keys at the gateway (Kong key-auth)', () => {
  const noKey = { message: 'No API key found in request' };
  const bare = (path: string, init: RequestInit = {}) =>
    fetch(`${config.apiUrl}${path}`, { redirect: 'manual', ...init });

  it.each([
    '/rest/v1/countries',
    '/rest/v1/',
    '/graphql/v1',
    '/auth/v1/settings',
    '/auth/v1/user',
    '/realtime/v1/api/broadcast',
    '/storage/v1/bucket',
    '/storage/v1/object/list/attachments',
  ])('refuses %s without an apikey with 401 and Kong’s message', async (path) => {
    const res = await bare(path, { method: path.includes('/list/') || path.includes('broadcast') ? 'POST' : 'GET' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(noKey);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses an unknown apikey, in the header or the query', async () => {
    const header = await bare('/rest/v1/gw_items', { headers: { apikey: 'not-a-key' } });
    expect(header.status).toBe(401);
    expect(await header.json()).toEqual({ message: 'Invalid authentication credentials' });
    const query = await bare('/rest/v1/gw_items?apikey=not-a-key');
    expect(query.status).toBe(401);
  });

  it('accepts the apikey as a query parameter, and a valid Bearer token without one', async () => {
    expect((await bare(`/auth/v1/settings?apikey=${config.anonKey}`)).status).toBe(200);
    const bearer = await bare('/rest/v1/gw_items?select=id', {
      headers: { authorization: `Bearer ${config.anonKey}` },
    });
    expect(bearer.status).toBe(200);
    const forged = await bare('/rest/v1/gw_items?select=id', { headers: { authorization: 'Bearer a.b.c' } });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual(noKey);
  });

  it('leaves open what Kong leaves open: verify, callback, authorize, JWKS, health of functions, public objects', async () => {
    expect((await bare('/auth/v1/verify?type=signup&token=nope')).status).not.toBe(401);
    expect((await bare('/auth/v1/.well-known/jwks.json')).status).toBe(200);
    expect((await bare('/auth/v1/authorize?provider=github')).status).not.toBe(401);
    expect((await bare('/storage/v1/object/public/no-bucket/x.txt')).status).not.toBe(401);
    // Functions check their own JWT (verify_jwt); webhooks from Shopify and SendGrid carry no apikey.
    const webhook = await bare('/functions/v1/shopify-webhook', { method: 'POST', body: '{}' });
    expect(await webhook.json()).not.toEqual(noKey);
  });

  it('refuses the realtime websocket without an apikey', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve) => {
      const req = request(`${config.apiUrl}/realtime/v1/websocket?vsn=1.0.0`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, body: '' });
      });
      req.on('error', () => resolve({ status: 0, body: '' }));
      req.end();
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual(noKey);
  });
});

describe('supabase:status', () => {
  it('prints the CLI status keys as JSON', () => {
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/local-stack/src/cli.ts', 'status', '-o', 'json'],
      {
        cwd: config.root,
        env: { ...process.env, CAIRN_STACK: config.name },
      },
    ).toString();
    const status = JSON.parse(output) as Record<string, string>;
    expect(status).toMatchObject({
      API_URL: config.apiUrl,
      DB_URL: config.dbUrl,
      ANON_KEY: config.anonKey,
      SERVICE_ROLE_KEY: config.serviceRoleKey,
      JWT_SECRET: config.jwtSecret,
      MAILPIT_URL: config.mailUrl,
      PUBLISHABLE_KEY: config.publishableKey,
      SECRET_KEY: config.secretKey,
    });
  });
});
