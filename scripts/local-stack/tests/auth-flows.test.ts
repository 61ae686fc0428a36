/**
 * Auth flows that go through email (recovery, magic link/OTP, invite, email change), the admin
 * API and TOTP MFA — through the gateway with supabase-js, mail read from the catcher.
 */
import { decodeJwt } from 'jose';
import { TOTP } from 'otpauth';
import { AuthClient, createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type ExtraAuthServer } from './support/auth-server.ts';
import {
  adminSql,
  anonClient,
  client,
  config,
  firstLink,
  mail,
  serviceClient,
  signedInClient,
  TEST_PASSWORD,
  uniqueEmail,
  type CaughtMail,
} from '../src/testing.ts';

const SITE = 'http://127.0.0.1:3000';

/** Follows a mailed verify link like a browser would, without following the redirect. */
async function followLink(link: string): Promise<{ status: number; location: URL; fragment: URLSearchParams }> {
  const res = await fetch(link, { redirect: 'manual' });
  const location = new URL(res.headers.get('location') ?? '');
  return { status: res.status, location, fragment: new URLSearchParams(location.hash.slice(1)) };
}

const otpIn = (message: CaughtMail) => (message.text ?? '').match(/code: (\d{6})/)?.[1] ?? '';

describe('auth: password recovery by email', () => {
  it('mails a working link: follow it, set the session, change the password, sign in with it', async () => {
    const { email, password } = await signedInClient(uniqueEmail('recover'));
    const redirectTo = `${SITE}/reset-password`;
    const requested = await anonClient().auth.resetPasswordForEmail(email, { redirectTo });
    expect(requested).toEqual({ data: {}, error: null });

    const message = await mail.waitFor(email, (m) => m.subject === 'Reset Your Password');
    const link = firstLink(message);
    expect(link.startsWith(`${config.authExternalUrl}/verify?token=`)).toBe(true);
    expect(new URL(link).searchParams.get('type')).toBe('recovery');
    expect(otpIn(message)).toMatch(/^\d{6}$/);

    const { status, location, fragment } = await followLink(link);
    expect(status).toBe(303);
    expect(`${location.origin}${location.pathname}`).toBe(redirectTo);
    expect(fragment.get('type')).toBe('recovery');
    expect(fragment.get('token_type')).toBe('bearer');
    expect(Number(fragment.get('expires_in'))).toBe(3600);
    expect(Number(fragment.get('expires_at'))).toBeGreaterThan(Date.now() / 1000);
    expect(decodeJwt(fragment.get('access_token') ?? '').email).toBe(email);

    const supabase = client();
    const set = await supabase.auth.setSession({
      access_token: fragment.get('access_token') ?? '',
      refresh_token: fragment.get('refresh_token') ?? '',
    });
    expect(set.error).toBeNull();
    const same = await supabase.auth.updateUser({ password });
    expect(same.error).toMatchObject({
      status: 422,
      code: 'same_password',
      message: 'New password should be different from the old password.',
    });
    const changed = await supabase.auth.updateUser({ password: 'Brand-new-password-1' });
    expect(changed.error).toBeNull();

    expect((await anonClient().auth.signInWithPassword({ email, password })).error?.code).toBe('invalid_credentials');
    expect((await anonClient().auth.signInWithPassword({ email, password: 'Brand-new-password-1' })).error).toBeNull();

    // A used link fails, and says so in the fragment of the redirect.
    const reused = await followLink(link);
    expect(reused.status).toBe(303);
    expect(Object.fromEntries(reused.fragment)).toEqual({
      error: 'access_denied',
      error_code: 'otp_expired',
      error_description: 'Email link is invalid or has expired',
      sb: '',
    });
  });

  it('answers {} for unknown addresses and sends nothing; falls back to site_url for foreign redirects', async () => {
    const unknown = uniqueEmail('nobody');
    expect(await anonClient().auth.resetPasswordForEmail(unknown)).toEqual({ data: {}, error: null });
    expect(await mail.list(unknown)).toEqual([]);

    const { email } = await signedInClient(uniqueEmail('foreign'));
    await anonClient().auth.resetPasswordForEmail(email, { redirectTo: 'https://evil.example.com/steal' });
    const link = firstLink(await mail.waitFor(email, (m) => m.subject === 'Reset Your Password'));
    expect(new URL(link).searchParams.get('redirect_to')).toBe(SITE);
    const { location } = await followLink(link);
    expect(location.origin).toBe(SITE);
  });
});

describe('auth: PKCE flow', () => {
  it('redirects with ?code= and exchanges it (with the stored verifier) for a session', async () => {
    const { email } = await signedInClient(uniqueEmail('pkce'));
    const pkce = createClient(config.apiUrl, config.anonKey, {
      auth: { flowType: 'pkce', persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
    });
    expect((await pkce.auth.resetPasswordForEmail(email, { redirectTo: `${SITE}/pkce` })).error).toBeNull();
    const link = firstLink(await mail.waitFor(email, (m) => m.subject === 'Reset Your Password'));
    expect(new URL(link).searchParams.get('token')).toMatch(/^pkce_[0-9a-f]{56}$/);
    const { status, location } = await followLink(link);
    expect(status).toBe(303);
    expect(location.pathname).toBe('/pkce');
    const code = location.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    expect(location.hash).toBe('');

    const wrongVerifier = await fetch(`${config.apiUrl}/auth/v1/token?grant_type=pkce`, {
      method: 'POST',
      headers: { apikey: config.anonKey, 'content-type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: JSON.stringify({ auth_code: code, code_verifier: 'x'.repeat(50) }),
    });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ code: 'bad_code_verifier' });

    const { data, error } = await pkce.auth.exchangeCodeForSession(code);
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect((await pkce.auth.exchangeCodeForSession(code)).error).not.toBeNull();
  });
});

describe('auth: one-time passwords and magic links', () => {
  it('signs in with the mailed 6-digit code', async () => {
    const { email } = await signedInClient(uniqueEmail('otp'));
    expect((await anonClient().auth.signInWithOtp({ email })).error).toBeNull();
    const message = await mail.waitFor(email, (m) => m.subject === 'Your Magic Link');
    const wrong = await anonClient().auth.verifyOtp({
      email,
      token: '000000' === otpIn(message) ? '111111' : '000000',
      type: 'email',
    });
    expect(wrong.error).toMatchObject({ status: 403, code: 'otp_expired', message: 'Token has expired or is invalid' });
    const supabase = anonClient();
    const { data, error } = await supabase.auth.verifyOtp({ email, token: otpIn(message), type: 'email' });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(decodeJwt(data.session?.access_token ?? '').amr).toEqual([{ method: 'otp', timestamp: expect.any(Number) }]);
  });

  it('creates no account when asked not to, and none at all when sign-up is off (override)', async () => {
    const refused = await anonClient().auth.signInWithOtp({
      email: uniqueEmail('nocreate'),
      options: { shouldCreateUser: false },
    });
    expect(refused.error).toMatchObject({ status: 422, code: 'otp_disabled', message: 'Signups not allowed for otp' });
    const off = await startAuthServer({ enableSignup: false });
    try {
      const auth = new AuthClient({ url: off.url, headers: { apikey: config.anonKey }, persistSession: false });
      const email = uniqueEmail('magic');
      const disabled = await auth.signInWithOtp({ email });
      expect(disabled.error).toMatchObject({
        status: 422,
        code: 'signup_disabled',
        message: 'Signups not allowed for this instance',
      });
      expect(await adminSql('select 1 from auth.users where email = $1', [email])).toEqual([]);
    } finally {
      await off.close();
    }
  });

  describe('with sign-up on, as config.toml has it (own mailbox: support/auth-server.ts)', () => {
    let server: ExtraAuthServer;
    beforeAll(async () => {
      server = await startAuthServer({ enableSignup: true });
    });
    afterAll(() => server?.close());

    it('creates the account for a new address and mails a confirmation link (confirmations on)', async () => {
      const auth = new AuthClient({ url: server.url, headers: { apikey: config.anonKey }, persistSession: false });
      const email = uniqueEmail('magic');
      expect((await auth.signInWithOtp({ email, options: { emailRedirectTo: `${SITE}/welcome` } })).error).toBeNull();
      const message = server.mails.find((sent) => sent.to[0]?.email === email);
      if (!message) throw new Error('no confirmation mail');
      const { status, location, fragment } = await followLink(firstLink(message as unknown as CaughtMail));
      expect(status).toBe(303);
      expect(location.pathname).toBe('/welcome');
      expect(fragment.get('type')).toBe('signup');
      expect(decodeJwt(fragment.get('access_token') ?? '').email).toBe(email);
    });
  });
});

describe('auth: admin API', () => {
  it('creates, gets, updates (merging metadata) and deletes users', async () => {
    const admin = serviceClient().auth.admin;
    const email = uniqueEmail('admin');
    const created = await admin.createUser({
      email,
      password: TEST_PASSWORD,
      email_confirm: true,
      user_metadata: { a: 1, b: 2 },
      app_metadata: { tier: 'gold' },
    });
    expect(created.error).toBeNull();
    const id = created.data.user?.id ?? '';
    expect(created.data.user).toMatchObject({
      email,
      app_metadata: { provider: 'email', providers: ['email'], tier: 'gold' },
    });
    expect(created.data.user?.email_confirmed_at).toBeTruthy();

    const duplicate = await admin.createUser({ email, password: TEST_PASSWORD });
    expect(duplicate.error).toMatchObject({
      status: 422,
      code: 'email_exists',
      message: 'A user with this email address has already been registered',
    });

    expect((await admin.getUserById(id)).data.user?.email).toBe(email);
    const updated = await admin.updateUserById(id, { user_metadata: { b: null, c: 3 } });
    expect(updated.data.user?.user_metadata).toMatchObject({ a: 1, c: 3 });
    expect(updated.data.user?.user_metadata).not.toHaveProperty('b');

    const deleted = await admin.deleteUser(id);
    expect(deleted.error).toBeNull();
    const gone = await admin.getUserById(id);
    expect(gone.error).toMatchObject({ status: 404, code: 'user_not_found', message: 'User not found' });
    // auth-js refuses a non-UUID before sending it; the server's own answer:
    const notUuid = await fetch(`${config.apiUrl}/auth/v1/admin/users/not-a-uuid`, {
      headers: {
        apikey: config.serviceRoleKey,
        authorization: `Bearer ${config.serviceRoleKey}`,
        'X-Supabase-Api-Version': '2024-01-01',
      },
    });
    expect(notUuid.status).toBe(404);
    expect(await notUuid.json()).toEqual({ code: 'validation_failed', message: 'user_id must be an UUID' });
  });

  it('pages users with X-Total-Count and Link headers', async () => {
    const admin = serviceClient().auth.admin;
    for (let i = 0; i < 3; i++) await admin.createUser({ email: uniqueEmail('page') });
    const total = Number(
      (await adminSql<{ n: string }>(`select count(*)::text as n from auth.users where aud = 'authenticated'`))[0].n,
    );
    const res = await fetch(`${config.apiUrl}/auth/v1/admin/users?page=1&per_page=2`, {
      headers: { apikey: config.serviceRoleKey, authorization: `Bearer ${config.serviceRoleKey}` },
    });
    expect(res.headers.get('x-total-count')).toBe(String(total));
    const lastPage = Math.ceil(total / 2);
    expect(res.headers.get('link')).toBe(
      `</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=${lastPage}&per_page=2>; rel="last"`,
    );
    const body = (await res.json()) as { aud: string; users: unknown[] };
    expect(body.aud).toBe('authenticated');
    expect(body.users).toHaveLength(2);

    const { data, error } = await admin.listUsers({ page: 1, perPage: 2 });
    expect(error).toBeNull();
    expect(data.users).toHaveLength(2);
    expect(data).toMatchObject({ total, nextPage: 2 });
  });

  it('refuses non-admin tokens', async () => {
    const { client: user } = await signedInClient();
    const token = (await user.auth.getSession()).data.session?.access_token ?? '';
    const { error } = await client(config.anonKey, { accessToken: token }).auth.admin.listUsers();
    expect(error).toMatchObject({ status: 403, code: 'not_admin', message: 'User not allowed' });
    const anon = await anonClient().auth.admin.listUsers();
    expect(anon.error).toMatchObject({ status: 403, code: 'not_admin' });
  });

  it('invites by email; the invite link signs the new user in', async () => {
    const email = uniqueEmail('invite');
    const { data, error } = await serviceClient().auth.admin.inviteUserByEmail(email, {
      data: { team: 'ops' },
      redirectTo: `${SITE}/accept`,
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { team: 'ops' } });
    expect(data.user?.invited_at).toBeTruthy();
    const message = await mail.waitFor(email, (m) => m.subject === 'You have been invited');
    const { location, fragment } = await followLink(firstLink(message));
    expect(location.pathname).toBe('/accept');
    expect(fragment.get('type')).toBe('invite');
    const session = client();
    await session.auth.setSession({
      access_token: fragment.get('access_token') ?? '',
      refresh_token: fragment.get('refresh_token') ?? '',
    });
    expect((await session.auth.updateUser({ password: 'Chosen-password-1' })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: 'Chosen-password-1' })).error).toBeNull();

    const again = await serviceClient().auth.admin.inviteUserByEmail(email);
    expect(again.error).toMatchObject({ status: 422, code: 'email_exists' });
  });

  it('generates links without mailing them; the hashed token verifies', async () => {
    const { email } = await signedInClient(uniqueEmail('genlink'));
    const before = (await mail.list(email)).length;
    const { data, error } = await serviceClient().auth.admin.generateLink({
      type: 'recovery',
      email,
      options: { redirectTo: `${SITE}/x` },
    });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.properties).toMatchObject({ verification_type: 'recovery', redirect_to: `${SITE}/x` });
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/);
    expect(data.properties?.action_link).toBe(
      `${config.authExternalUrl}/verify?token=${data.properties?.hashed_token}&type=recovery&redirect_to=${encodeURIComponent(`${SITE}/x`)}`,
    );
    expect((await mail.list(email)).length).toBe(before);

    const verified = await anonClient().auth.verifyOtp({
      token_hash: data.properties?.hashed_token ?? '',
      type: 'recovery',
    });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(email);

    const missing = await serviceClient().auth.admin.generateLink({ type: 'recovery', email: uniqueEmail('missing') });
    expect(missing.error).toMatchObject({
      status: 404,
      code: 'user_not_found',
      message: 'User with this email not found',
    });
  });
});

describe('auth: email change', () => {
  it('mails the new address (and the current one); following the link moves the email', async () => {
    const { client: supabase, email, userId } = await signedInClient(uniqueEmail('old'));
    const newEmail = uniqueEmail('new');
    const { data, error } = await supabase.auth.updateUser({ email: newEmail, data: { nickname: 'n' } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, new_email: newEmail, user_metadata: { nickname: 'n' } });
    expect(data.user?.email_change_sent_at).toBeTruthy();
    const current = await mail.waitFor(email, (m) => m.subject === 'Confirm Email Change');
    const message = await mail.waitFor(newEmail, (m) => m.subject === 'Confirm Email Change');
    // Confirmations are on (config.toml), so a change is secure: both addresses must confirm.
    const first = await followLink(firstLink(message));
    expect(first.fragment.get('message')).toBe(
      'Confirmation link accepted. Please proceed to confirm link sent to the other email',
    );
    expect((await serviceClient().auth.admin.getUserById(userId)).data.user?.email).toBe(email);
    const { fragment } = await followLink(firstLink(current));
    expect(fragment.get('type')).toBe('email_change');
    const user = (await serviceClient().auth.admin.getUserById(userId)).data.user;
    expect(user?.email).toBe(newEmail);
    expect(user?.new_email).toBeUndefined();
  });
});

describe('auth: TOTP multi-factor authentication', () => {
  it('enrolls, challenges and verifies a factor (aal2, amr totp), then unenrolls it', async () => {
    const { client: supabase, userId, password } = await signedInClient(uniqueEmail('mfa'));
    const enrolled = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
    expect(enrolled.error).toBeNull();
    const factor = enrolled.data;
    if (!factor || factor.type !== 'totp') throw new Error('expected a totp factor');
    expect(factor.friendly_name).toBe('phone app');
    expect(factor.totp.qr_code.startsWith('data:image/svg+xml;utf-8,')).toBe(true);
    expect(factor.totp.qr_code).toMatch(/<path[^>]+d="M/); // a real QR code, not text
    expect(factor.totp.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(factor.totp.uri).toContain(`secret=${factor.totp.secret}`);

    const conflict = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
    expect(conflict.error).toMatchObject({ status: 422, code: 'mfa_factor_name_conflict' });

    const challenge = await supabase.auth.mfa.challenge({ factorId: factor.id });
    expect(challenge.error).toBeNull();
    expect(challenge.data).toMatchObject({ type: 'totp', id: expect.any(String) });
    expect(challenge.data?.expires_at).toBeGreaterThan(Date.now() / 1000);

    const wrong = await supabase.auth.mfa.verify({
      factorId: factor.id,
      challengeId: challenge.data?.id ?? '',
      code: '000000' === new TOTP({ secret: factor.totp.secret }).generate() ? '111111' : '000000',
    });
    expect(wrong.error).toMatchObject({
      status: 422,
      code: 'mfa_verification_failed',
      message: 'Invalid TOTP code entered',
    });

    const code = new TOTP({ secret: factor.totp.secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
    const verified = await supabase.auth.mfa.verify({
      factorId: factor.id,
      challengeId: challenge.data?.id ?? '',
      code,
    });
    expect(verified.error).toBeNull();
    const claims = decodeJwt(verified.data?.access_token ?? '');
    expect(claims.aal).toBe('aal2');
    expect((claims.amr as Array<{ method: string }>).map((entry) => entry.method).sort()).toEqual(['password', 'totp']);

    const aal = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
    expect(aal.data).toMatchObject({ currentLevel: 'aal2', nextLevel: 'aal2' });
    const factors = await supabase.auth.mfa.listFactors();
    expect(factors.data?.totp.map((f) => f.id)).toEqual([factor.id]);
    expect(factors.data?.totp[0]).toMatchObject({
      status: 'verified',
      factor_type: 'totp',
      friendly_name: 'phone app',
    });
    expect((await serviceClient().auth.admin.mfa.listFactors({ userId })).data?.factors.map((f) => f.id)).toEqual([
      factor.id,
    ]);

    // A fresh password sign-in is only aal1 while a verified factor exists.
    const other = client();
    const { data: second } = await other.auth.signInWithPassword({
      email: (await supabase.auth.getUser()).data.user?.email ?? '',
      password,
    });
    expect(decodeJwt(second.session?.access_token ?? '').aal).toBe('aal1');
    const aal1Unenroll = await other.auth.mfa.unenroll({ factorId: factor.id });
    expect(aal1Unenroll.error).toMatchObject({
      status: 422,
      code: 'insufficient_aal',
      message: 'AAL2 required to unenroll verified factor',
    });

    const removed = await supabase.auth.mfa.unenroll({ factorId: factor.id });
    expect(removed).toEqual({ data: { id: factor.id }, error: null });
    expect(await adminSql('select 1 from auth.mfa_factors where id = $1', [factor.id])).toEqual([]);
  });
});
