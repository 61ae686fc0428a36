/**
 * Asymmetric JWT signing keys (issue 17), in both of the CLI's modes:
 * - no `[auth] signing_keys_path` (Cairn's config.toml): user tokens are signed with the CLI's
 *   built-in ES256 key, as `supabase start` signs them;
 * - `signing_keys_path` naming a project's own keys: an own instance over a copy of the project
 *   whose config.toml sets it.
 * In both, `/.well-known/jwks.json` publishes the public keys, `getClaims()` verifies against
 * them, and GoTrue, PostgREST, Storage, Realtime and the functions' verify_jwt accept those
 * tokens and, during rotation as on hosted Supabase, tokens signed with the legacy secret.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackConfig } from '../src/config.ts';
import { CLI_DEFAULT_SIGNING_KEY, signJwt } from '../src/lib/jwt.ts';
import { adminSql, config, signedInClient, uniqueEmail, TEST_PASSWORD } from '../src/testing.ts';
import { startOwnStack, type OwnStack } from './support/own-stack.ts';

const WHOAMI = `
  create or replace function public.signing_keys_whoami() returns json language sql stable
    as $$ select json_build_object('role', current_user, 'sub', auth.uid()) $$;
  grant execute on function public.signing_keys_whoami() to anon, authenticated;
  notify pgrst, 'reload schema';`;

function clientFor(stack: StackConfig, accessToken?: string): SupabaseClient {
  return createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    global: accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : undefined,
  });
}

async function whoami(client: SupabaseClient) {
  return client.rpc('signing_keys_whoami');
}

/** A fresh ES256 key as `supabase gen signing-key --algorithm ES256` writes it. */
async function newSigningKey(kid: string, ops: string[]): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig', key_ops: ops, ext: true };
}

/** Signs as the key's holder would (whatever its key_ops say: a retired key's owner still could). */
async function signWith(jwk: JWK, claims: Record<string, unknown>): Promise<string> {
  const { kty, crv, x, y, d } = jwk;
  const key = await importJWK({ kty, crv, x, y, d }, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })
    .sign(key);
}

const legacyToken = (sub: string, secret: string) => {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600 }, secret);
};

describe('signing keys: the CLI default (no signing_keys_path)', () => {
  beforeAll(async () => {
    await adminSql(WHOAMI);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  it('signs sessions with ES256 under the published kid; getClaims() verifies them against the JWKS', async () => {
    const { client, userId } = await signedInClient();
    const session = (await client.auth.getSession()).data.session;
    if (!session) throw new Error('no session');
    expect(decodeProtectedHeader(session.access_token)).toEqual({
      alg: 'ES256',
      kid: CLI_DEFAULT_SIGNING_KEY.kid,
      typ: 'JWT',
    });

    const jwks = await fetch(`${config.apiUrl}/auth/v1/.well-known/jwks.json`);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=600');
    expect(await jwks.json()).toEqual({
      keys: [
        {
          kty: 'EC',
          kid: CLI_DEFAULT_SIGNING_KEY.kid,
          alg: 'ES256',
          crv: 'P-256',
          x: CLI_DEFAULT_SIGNING_KEY.x,
          y: CLI_DEFAULT_SIGNING_KEY.y,
          use: 'sig',
          key_ops: ['verify'],
        },
      ],
    });

    const { data, error } = await client.auth.getClaims();
    expect(error).toBeNull();
    expect(data?.header).toMatchObject({ alg: 'ES256', kid: CLI_DEFAULT_SIGNING_KEY.kid });
    expect(data?.claims).toMatchObject({ sub: userId, role: 'authenticated', aal: 'aal1' });
  });

  it('PostgREST, Storage, Realtime and verify_jwt accept the ES256 session', async () => {
    const { client, userId } = await signedInClient();
    expect((await whoami(client)).data).toEqual({ role: 'authenticated', sub: userId });
    expect((await client.storage.listBuckets()).error).toBeNull();
    const invoked = await client.functions.invoke('hello', { body: { name: 'keys' } });
    expect(invoked.error).toBeNull();

    const status = await new Promise<string>((resolve) => {
      const channel = client.channel(`signing-keys-${userId}`);
      channel.subscribe((state) => {
        if (state !== 'SUBSCRIBED' && state !== 'CHANNEL_ERROR' && state !== 'TIMED_OUT') return;
        resolve(state);
        void client.removeChannel(channel);
      });
    });
    expect(status).toBe('SUBSCRIBED');
  });

  it('accepts tokens signed with the legacy secret, refuses a foreign key under the same kid', async () => {
    const { userId } = await signedInClient();
    const legacy = await legacyToken(userId, config.jwtSecret);
    expect((await whoami(clientFor(config, legacy))).data).toEqual({ role: 'authenticated', sub: userId });
    expect((await clientFor(config).auth.getUser(legacy)).data.user?.id).toBe(userId);

    const impostor = await signWith(await newSigningKey(CLI_DEFAULT_SIGNING_KEY.kid as string, ['sign']), {
      sub: userId,
    });
    const rest = await whoami(clientFor(config, impostor));
    expect(rest.status).toBe(401);
    const auth = await clientFor(config).auth.getUser(impostor);
    expect(auth.error).toMatchObject({
      status: 403,
      code: 'bad_jwt',
      message: 'invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid',
    });
    const storage = await clientFor(config, impostor).storage.listBuckets();
    expect(storage.error).not.toBeNull();
    const invoked = await clientFor(config, impostor).functions.invoke('hello', { body: {} });
    expect((invoked.error as { context?: Response } | null)?.context?.status).toBe(401);
  });
});

describe('signing keys: a project key in signing_keys_path, an older key still verifying', () => {
  let stack: OwnStack;
  let root: string;
  let current: JWK;
  let previous: JWK;

  beforeAll(async () => {
    current = await newSigningKey('6f1c9a3e-0d4b-4c51-9d0e-2f7a0b9c1d11', ['sign', 'verify']);
    previous = await newSigningKey('0a2b4c6d-8e0f-4a1b-9c2d-3e4f5a6b7c8d', ['verify']);
    // A copy of the project whose config.toml names a signing-keys file (the repository's own
    // config.toml is never changed by a test); migrations and functions are the project's.
    root = mkdtempSync(path.join(tmpdir(), 'cairn-signing-keys-'));
    mkdirSync(path.join(root, 'supabase'));
    for (const entry of ['migrations', 'functions', 'seed.sql'])
      symlinkSync(path.join(config.root, 'supabase', entry), path.join(root, 'supabase', entry));
    writeFileSync(path.join(root, 'supabase', 'signing_keys.json'), JSON.stringify([current, previous], null, 2));
    const toml = readFileSync(path.join(config.root, 'supabase', 'config.toml'), 'utf8');
    const withKeys = toml.replace(/^\[auth\]\n/m, '[auth]\nsigning_keys_path = "./signing_keys.json"\n');
    expect(withKeys).not.toBe(toml);
    writeFileSync(path.join(root, 'supabase', 'config.toml'), withKeys);
    stack = await startOwnStack('keys', {
      parts: ['auth', 'gateway'],
      offset: 200,
      env: { CAIRN_PROJECT_ROOT: root, CAIRN_STACK_AUTH_RATE_LIMIT_FACTOR: '100' },
    });
    const db = new pg.Client({ connectionString: stack.config.adminDbUrl });
    await db.connect();
    await db.query(WHOAMI);
    await db.end();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function signIn(): Promise<{ client: SupabaseClient; userId: string; token: string }> {
    const email = uniqueEmail('keys');
    const admin = clientFor({ ...stack.config, anonKey: stack.config.serviceRoleKey }).auth.admin;
    const created = await admin.createUser({ email, password: TEST_PASSWORD, email_confirm: true });
    if (created.error) throw created.error;
    const client = clientFor(stack.config);
    const { data, error } = await client.auth.signInWithPassword({ email, password: TEST_PASSWORD });
    if (error || !data.session) throw error ?? new Error('no session');
    return { client, userId: created.data.user.id, token: data.session.access_token };
  }

  it('signs with the key marked "sign" and publishes every key; getClaims() works', async () => {
    const { client, userId, token } = await signIn();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: current.kid, typ: 'JWT' });
    const jwks = (await (await fetch(`${stack.config.apiUrl}/auth/v1/.well-known/jwks.json`)).json()) as {
      keys: JWK[];
    };
    expect(jwks.keys.map((key) => key.kid)).toEqual([current.kid, previous.kid]);
    for (const key of jwks.keys) {
      expect(key).not.toHaveProperty('d');
      expect(key).toMatchObject({ use: 'sig', key_ops: ['verify'] });
    }
    const { data, error } = await client.auth.getClaims();
    expect(error).toBeNull();
    expect(data?.claims.sub).toBe(userId);
  });

  it('PostgREST and GoTrue accept the current key, the previous key and the legacy secret; not the CLI default', async () => {
    const { userId, token } = await signIn();
    const expected = { role: 'authenticated', sub: userId };
    expect((await whoami(clientFor(stack.config, token))).data).toEqual(expected);
    const fromPrevious = await signWith(previous, { sub: userId });
    expect((await whoami(clientFor(stack.config, fromPrevious))).data).toEqual(expected);
    expect((await clientFor(stack.config).auth.getUser(fromPrevious)).data.user?.id).toBe(userId);
    const legacy = await legacyToken(userId, stack.config.jwtSecret);
    expect((await whoami(clientFor(stack.config, legacy))).data).toEqual(expected);

    const cliDefault = await signWith(CLI_DEFAULT_SIGNING_KEY as JWK, { sub: userId });
    expect((await whoami(clientFor(stack.config, cliDefault))).status).toBe(401);
    expect((await clientFor(stack.config).auth.getUser(cliDefault)).error).toMatchObject({
      status: 403,
      code: 'bad_jwt',
    });
  });
});
