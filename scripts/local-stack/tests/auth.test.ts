/**
 * Contract tests of the local Auth server (GoTrue stand-in) through the gateway, mostly with
 * supabase-js as an app uses it; raw fetch where the wire format itself is the contract.
 */
import { decodeJwt } from 'jose';
import pg from 'pg';
import { AuthApiError, AuthClient, AuthSessionMissingError, AuthWeakPasswordError } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_DEFAULT_SIGNING_KEY, signJwt } from '../src/lib/jwt.ts';
import { startAuthServer, type ExtraAuthServer } from './support/auth-server.ts';
import { adminSql, anonClient, client, config, signedInClient, TEST_PASSWORD, uniqueEmail } from '../src/testing.ts';

const authUrl = `${config.apiUrl}/auth/v1`;
const NEW_SHAPE = { 'X-Supabase-Api-Version': '2024-01-01' };

function authFetch(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${authUrl}${path}`, {
    ...init,
    headers: { apikey: config.anonKey, 'content-type': 'application/json', ...init.headers },
  });
}

describe('auth: discovery endpoints', () => {
  it('reports health, settings and the JWKS of the signing key', async () => {
    const health = await (await authFetch('/health')).json();
    expect(health).toMatchObject({
      name: 'GoTrue',
      description: 'GoTrue is a user registration and authentication API',
    });

    const settings = (await (await authFetch('/settings')).json()) as Record<string, unknown>;
    expect(settings.external).toMatchObject({ email: true, phone: false, anonymous_users: false, github: false });
    // config.toml: sign-up on for the shopper portal, confirmations on (security review C-1, M-6).
    expect(settings).toMatchObject({ disable_signup: false, mailer_autoconfirm: false, saml_enabled: false });

    const jwks = await authFetch('/.well-known/jwks.json');
    // No signing_keys_path in config.toml: the CLI's built-in ES256 key (signing-keys.test.ts).
    const { keys } = (await jwks.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys.map((key) => [key.kid, key.alg])).toEqual([[CLI_DEFAULT_SIGNING_KEY.kid, 'ES256']]);
    expect(jwks.headers.get('cache-control')).toBe('public, max-age=600');
  });
});

/**
 * Sign-up is on in config.toml with confirmations (auth-policy.test.ts checks it). The route's own
 * contract is checked on a second auth server with sign-up on and confirmations off — GoTrue's
 * autoconfirm mode, where sign-up answers with a session — started here with that explicit
 * override (support/auth-server.ts). Sign-in goes through the gateway as usual.
 */
describe('auth: sign up (override: sign-up on, autoconfirm) and sign in', () => {
  let server: ExtraAuthServer;
  beforeAll(async () => {
    server = await startAuthServer({ enableSignup: true, enableConfirmations: false });
  });
  afterAll(() => server?.close());
  const signupClient = () =>
    new AuthClient({
      url: server.url,
      headers: { apikey: config.anonKey },
      persistSession: false,
      autoRefreshToken: false,
      detectSessionInUrl: false,
    });

  it('signs a new user up and in at once (confirmations off) with GoTrue-shaped claims', async () => {
    const supabase = { auth: signupClient() };
    const email = uniqueEmail('signup');
    const { data, error } = await supabase.auth.signUp({
      email,
      password: TEST_PASSWORD,
      options: { data: { full_name: 'Ada' } },
    });
    expect(error).toBeNull();
    const session = data.session;
    if (!session || !data.user) throw new Error('expected a session');
    expect(session.token_type).toBe('bearer');
    expect(session.expires_in).toBe(3600);
    expect(session.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    expect(data.user).toMatchObject({
      email,
      phone: '',
      aud: 'authenticated',
      role: 'authenticated',
      is_anonymous: false,
    });
    expect(data.user.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(data.user.user_metadata).toMatchObject({ full_name: 'Ada', email, email_verified: true, sub: data.user.id });
    expect(data.user.identities?.[0]).toMatchObject({ provider: 'email', id: data.user.id, user_id: data.user.id });
    expect(data.user.email_confirmed_at).toBeTruthy();

    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      iss: config.authExternalUrl,
      sub: data.user.id,
      aud: 'authenticated',
      email,
      phone: '',
      role: 'authenticated',
      aal: 'aal1',
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
    });
    expect(claims.exp).toBe(session.expires_at);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    const rows = await adminSql<{ id: string }>('select id from auth.sessions where user_id = $1', [data.user.id]);
    expect(rows.map((row) => row.id)).toEqual([claims.session_id]);

    const { data: me } = await supabase.auth.getUser();
    expect(me.user?.id).toBe(data.user.id);
  });

  it('refuses a second signup for the same address, short passwords and bad credentials', async () => {
    const email = uniqueEmail('dupe');
    await signupClient().signUp({ email, password: TEST_PASSWORD });

    const again = await signupClient().signUp({ email, password: TEST_PASSWORD });
    expect(again.error).toBeInstanceOf(AuthApiError);
    expect(again.error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' });

    const weak = await signupClient().signUp({ email: uniqueEmail('weak'), password: 'Ab1' });
    expect(weak.error).toBeInstanceOf(AuthWeakPasswordError);
    expect(weak.error).toMatchObject({
      status: 422,
      code: 'weak_password',
      message: 'Password should be at least 12 characters.',
      reasons: ['length'],
    });

    const wrong = await anonClient().auth.signInWithPassword({ email, password: 'not-the-password' });
    expect(wrong.error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    });
    const unknown = await anonClient().auth.signInWithPassword({
      email: uniqueEmail('nobody'),
      password: TEST_PASSWORD,
    });
    expect(unknown.error).toMatchObject({ status: 400, code: 'invalid_credentials' });

    const badEmail = await signupClient().signUp({ email: 'not-an-email', password: TEST_PASSWORD });
    expect(badEmail.error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Unable to validate email address: invalid format',
    });
  });

  it('refuses anonymous sign-ins, disabled in config.toml', async () => {
    const { error } = await anonClient().auth.signInAnonymously();
    expect(error).toMatchObject({
      status: 422,
      code: 'anonymous_provider_disabled',
      message: 'Anonymous sign-ins are disabled',
    });
  });

  it('keeps unconfirmed admin-created users out until confirmed', async () => {
    const email = uniqueEmail('unconfirmed');
    await client(config.serviceRoleKey).auth.admin.createUser({ email, password: TEST_PASSWORD });
    const { error } = await anonClient().auth.signInWithPassword({ email, password: TEST_PASSWORD });
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed', message: 'Email not confirmed' });
  });
});

describe('auth: refresh tokens', () => {
  it('rotates refresh tokens and tolerates reuse of the immediate parent', async () => {
    const { client: supabase } = await signedInClient();
    const first = (await supabase.auth.getSession()).data.session;
    if (!first) throw new Error('no session');
    const refreshed = await supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    const second = refreshed.data.session;
    if (!second) throw new Error('no refreshed session');
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).session_id).toBe(decodeJwt(first.access_token).session_id);
    const parent = await adminSql<{ revoked: boolean }>('select revoked from auth.refresh_tokens where token = $1', [
      first.refresh_token,
    ]);
    expect(parent[0].revoked).toBe(true);

    // A client that lost the response retries with the parent: it gets the same child back.
    const retry = await anonClient().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(retry.error).toBeNull();
    expect(retry.data.session?.refresh_token).toBe(second.refresh_token);
  });

  it('treats reuse of an older token after the reuse interval as theft: already used, chain revoked', async () => {
    const { client: supabase } = await signedInClient();
    const first = (await supabase.auth.getSession()).data.session;
    if (!first) throw new Error('no session');
    const second = (await supabase.auth.refreshSession()).data.session;
    const third = (await anonClient().auth.refreshSession({ refresh_token: second?.refresh_token ?? '' })).data.session;
    expect(third?.refresh_token).toMatch(/^[a-z0-9]{12}$/);
    // Pretend the reuse interval (10 s) has passed since the first token was revoked.
    await adminSql(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`, [
      first.refresh_token,
    ]);

    const reused = await anonClient().auth.refreshSession({ refresh_token: first.refresh_token });
    expect(reused.error).toMatchObject({
      status: 400,
      code: 'refresh_token_already_used',
      message: 'Invalid Refresh Token: Already Used',
    });
    const live = await adminSql<{ n: string }>(
      'select count(*)::text as n from auth.refresh_tokens where session_id = $1 and not revoked',
      [decodeJwt(first.access_token).session_id],
    );
    expect(live[0].n).toBe('0');
  });

  it('rejects malformed and unknown refresh tokens', async () => {
    const malformed = await anonClient().auth.refreshSession({ refresh_token: 'short' });
    expect(malformed.error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Refresh token is not valid',
    });
    const unknown = await anonClient().auth.refreshSession({ refresh_token: 'abcdefghijkl' });
    expect(unknown.error).toMatchObject({
      status: 400,
      code: 'refresh_token_not_found',
      message: 'Invalid Refresh Token: Refresh Token Not Found',
    });
  });
});

describe('auth: sign out scopes', () => {
  async function threeSessions() {
    const first = await signedInClient();
    const clients = [first.client];
    for (let i = 0; i < 2; i++) {
      const other = client();
      await other.auth.signInWithPassword({ email: first.email, password: first.password });
      clients.push(other);
    }
    const tokens = await Promise.all(
      clients.map(async (c) => (await c.auth.getSession()).data.session?.access_token ?? ''),
    );
    return { userId: first.userId, clients, tokens };
  }
  const userWith = async (token: string) => {
    const res = await authFetch('/user', { headers: { authorization: `Bearer ${token}`, ...NEW_SHAPE } });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const sessionCount = async (userId: string) =>
    (await adminSql<{ n: string }>('select count(*)::text as n from auth.sessions where user_id = $1', [userId]))[0].n;

  it('local ends only the current session; its token stops working', async () => {
    const { userId, clients, tokens } = await threeSessions();
    expect(await sessionCount(userId)).toBe('3');
    expect((await clients[0].auth.signOut({ scope: 'local' })).error).toBeNull();
    expect(await sessionCount(userId)).toBe('2');
    expect(await userWith(tokens[0])).toEqual({
      status: 403,
      body: { code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' },
    });
    // auth-js turns that code into AuthSessionMissingError.
    expect((await anonClient().auth.getUser(tokens[0])).error).toBeInstanceOf(AuthSessionMissingError);
    expect((await userWith(tokens[1])).status).toBe(200);
  });

  it('others keeps only the current session; global ends them all', async () => {
    const { userId, clients, tokens } = await threeSessions();
    await clients[0].auth.signOut({ scope: 'others' });
    expect(await sessionCount(userId)).toBe('1');
    expect((await userWith(tokens[0])).status).toBe(200);
    expect((await userWith(tokens[2])).body).toMatchObject({ code: 'session_not_found' });

    const again = await threeSessions();
    await again.clients[1].auth.signOut();
    expect(await sessionCount(again.userId)).toBe('0');
  });

  it('answers 204 with an empty body and rejects unknown scopes', async () => {
    const { client: supabase } = await signedInClient();
    const token = (await supabase.auth.getSession()).data.session?.access_token ?? '';
    const bad = await authFetch('/logout?scope=everything', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...NEW_SHAPE },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 'validation_failed', message: 'Unsupported logout scope "everything"' });
    const res = await authFetch('/logout?scope=local', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });
});

describe('auth: tokens and error bodies', () => {
  it('uses {code, message} and echoes the version header when the client sends one', async () => {
    const res = await authFetch('/token?grant_type=password', {
      method: 'POST',
      headers: NEW_SHAPE,
      body: JSON.stringify({ email: uniqueEmail(), password: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(res.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(await res.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });
  });

  it('uses the legacy {code: status, error_code, msg} without it', async () => {
    const res = await authFetch('/token?grant_type=password', {
      method: 'POST',
      body: JSON.stringify({ email: uniqueEmail(), password: 'x' }),
    });
    expect(res.headers.get('x-supabase-api-version')).toBeNull();
    expect(res.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    expect(await res.json()).toEqual({
      code: 400,
      error_code: 'invalid_credentials',
      msg: 'Invalid login credentials',
    });
  });

  it('rejects bad JSON, unknown grant types and unknown routes as GoTrue does', async () => {
    const badJson = await authFetch('/signup', { method: 'POST', headers: NEW_SHAPE, body: '{nope' });
    expect(badJson.status).toBe(400);
    const body = (await badJson.json()) as { code: string; message: string };
    expect(body.code).toBe('bad_json');
    expect(body.message).toMatch(/^Could not parse request body as JSON: /);

    const grant = await authFetch('/token?grant_type=magic', { method: 'POST', headers: NEW_SHAPE, body: '{}' });
    expect(await grant.json()).toEqual({ code: 'invalid_credentials', message: 'unsupported_grant_type' });

    const missing = await authFetch('/no-such-endpoint');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('404 page not found\n');
  });

  it('requires a Bearer token, and a valid unexpired one', async () => {
    // Straight to the auth server; the gateway passes a bare apikey on as it is (auth-fidelity.test.ts).
    const none = await fetch(`http://127.0.0.1:${config.ports.auth}/user`, { headers: { ...NEW_SHAPE } });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      code: 'no_authorization',
      message: 'This endpoint requires a valid Bearer token',
    });

    const { userId } = await signedInClient();
    const now = Math.floor(Date.now() / 1000);
    const expired = await signJwt(
      { sub: userId, role: 'authenticated', aud: 'authenticated', iat: now - 7200, exp: now - 3600 },
      config.jwtSecret,
    );
    const expiredResult = await anonClient().auth.getUser(expired);
    expect(expiredResult.error).toMatchObject({ status: 403, code: 'bad_jwt' });
    expect(expiredResult.error?.message).toBe(
      'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired',
    );

    const garbage = await anonClient().auth.getUser('not-a-jwt');
    expect(garbage.error).toMatchObject({ status: 403, code: 'bad_jwt' });
    expect(garbage.error?.message).toMatch(/^invalid JWT: unable to parse or verify signature, token is malformed/);

    const forged = await signJwt(
      { sub: userId, role: 'authenticated', exp: now + 60 },
      'another-secret-another-secret-another-secret',
    );
    expect((await anonClient().auth.getUser(forged)).error?.message).toBe(
      'invalid JWT: unable to parse or verify signature, token signature is invalid: signature is invalid',
    );

    const ghost = await signJwt(
      { sub: '00000000-0000-4000-8000-000000000001', role: 'authenticated', exp: now + 60 },
      config.jwtSecret,
    );
    expect((await anonClient().auth.getUser(ghost)).error).toMatchObject({ status: 403, code: 'user_not_found' });
    // The anon key has no `sub`.
    expect((await anonClient().auth.getUser(config.anonKey)).error).toMatchObject({
      status: 403,
      code: 'bad_jwt',
      message: 'invalid claim: missing sub claim',
    });
  });
});

describe('auth: the auth schema', () => {
  it('lets postgres reference auth.users, read it, and RLS helpers read the JWT claims', async () => {
    const { userId } = await signedInClient();
    const db = new pg.Client({ connectionString: config.dbUrl });
    await db.connect();
    try {
      await db.query('begin');
      await db.query(
        'create table public.auth_fk_probe (user_id uuid primary key references auth.users (id) on delete cascade)',
      );
      await db.query('insert into public.auth_fk_probe values ($1)', [userId]);
      const seen = await db.query('select email from auth.users where id = $1', [userId]);
      expect(seen.rowCount).toBe(1);
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: userId, role: 'authenticated', email: 'x@example.test' }),
      ]);
      const helpers = await db.query<{ uid: string; role: string; email: string; jwt: { sub: string } }>(
        'select auth.uid() as uid, auth.role() as role, auth.email() as email, auth.jwt() as jwt',
      );
      expect(helpers.rows[0]).toEqual({
        uid: userId,
        role: 'authenticated',
        email: 'x@example.test',
        jwt: { sub: userId, role: 'authenticated', email: 'x@example.test' },
      });
    } finally {
      await db.query('rollback');
      await db.end();
    }
    const owners = await adminSql<{ tableowner: string; rowsecurity: boolean }>(
      `select tableowner, rowsecurity from pg_tables where schemaname = 'auth' and tablename in ('users', 'sessions', 'refresh_tokens', 'identities')`,
    );
    expect(owners).toHaveLength(4);
    expect(owners.every((row) => row.tableowner === 'supabase_auth_admin' && row.rowsecurity)).toBe(true);
  });

  it('keeps the auth schema away from API roles', async () => {
    const anon = await anonClient()
      .schema('auth' as 'public')
      .from('users')
      .select('id');
    expect(anon.error).not.toBeNull();
  });
});
