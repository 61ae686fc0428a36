/**
 * Where the local auth server once answered differently from GoTrue (issue 17), each checked
 * through auth-js as an app meets it. The facts are GoTrue's (supabase/auth at the commit
 * the spec names): `internal/api/admin.go`, `mail.go`, `pagination.go`, `middleware.go`,
 * `web3.go`, `token_oidc.go`, `verify.go`, and the CLI's Kong template for the gateway.
 */
import { AuthApiError, AuthClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { signJwt } from '../src/lib/jwt.ts';
import { anonClient, config, serviceClient, signedInClient, uniqueEmail } from '../src/testing.ts';

const authUrl = `${config.apiUrl}/auth/v1`;

/** An auth-js client that sends only `apikey`, no Authorization (a server-side caller's shortcut). */
const bareKeyClient = (key: string) =>
  new AuthClient({
    url: authUrl,
    headers: { apikey: key },
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
  });

describe('auth fidelity: metadata of admin-made users', () => {
  it('keeps exactly the metadata given to admin.createUser; confirming adds email_verified', async () => {
    const admin = serviceClient().auth.admin;
    const plain = await admin.createUser({ email: uniqueEmail('meta'), user_metadata: { full_name: 'Ada' } });
    expect(plain.error).toBeNull();
    expect(plain.data.user?.user_metadata).toEqual({ full_name: 'Ada' });
    // The identity still carries GoTrue's claims.
    expect(plain.data.user?.identities?.[0]?.identity_data).toMatchObject({ email_verified: false });

    const confirmed = await admin.createUser({
      email: uniqueEmail('meta'),
      email_confirm: true,
      user_metadata: { full_name: 'Grace' },
    });
    // `user.Confirm` merges `email_verified: true` into user_metadata, nothing else.
    expect(confirmed.data.user?.user_metadata).toEqual({ full_name: 'Grace', email_verified: true });
  });

  it('keeps exactly the data given to inviteUserByEmail and generateLink', async () => {
    const admin = serviceClient().auth.admin;
    const invited = await admin.inviteUserByEmail(uniqueEmail('meta-invite'), { data: { team: 'sales' } });
    expect(invited.error).toBeNull();
    expect(invited.data.user?.user_metadata).toEqual({ team: 'sales' });

    const link = await admin.generateLink({
      type: 'invite',
      email: uniqueEmail('meta-link'),
      options: { data: { a: 1 } },
    });
    expect(link.error).toBeNull();
    expect(link.data.user?.user_metadata).toEqual({ a: 1 });

    const bare = await admin.generateLink({ type: 'invite', email: uniqueEmail('meta-link') });
    expect(bare.data.user?.user_metadata).toEqual({});
  });
});

describe('auth fidelity: email addresses', () => {
  it('refuses what GoTrue refuses and accepts what it accepts', async () => {
    const admin = serviceClient().auth.admin;
    const bad = await admin.createUser({ email: 'xx:;x@x.x' });
    expect(bad.error).toBeInstanceOf(AuthApiError);
    expect(bad.error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Unable to validate email address: invalid format',
    });

    const local = `dev-${Date.now()}@localhost`;
    const good = await admin.createUser({ email: local });
    expect(good.error).toBeNull();
    expect(good.data.user?.email).toBe(local);
  });
});

describe('auth fidelity: admin.listUsers pagination', () => {
  it('answers page=-1 with 400 Bad Pagination Parameters', async () => {
    const { error } = await serviceClient().auth.admin.listUsers({ page: -1, perPage: 10 });
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Bad Pagination Parameters: strconv.ParseUint: parsing "-1": invalid syntax',
    });
  });
});

describe('auth fidelity: features that are off answer with their own JSON errors', () => {
  it('SSO: 404 saml_provider_disabled', async () => {
    const { error } = await anonClient().auth.signInWithSSO({ domain: 'example.com' });
    expect(error).toBeInstanceOf(AuthApiError);
    expect(error).toMatchObject({ status: 404, code: 'saml_provider_disabled', message: 'SAML 2.0 is disabled' });
  });

  it('identity linking: 404 manual_linking_disabled', async () => {
    const { client } = await signedInClient();
    const linked = await client.auth.linkIdentity({ provider: 'github', options: { skipBrowserRedirect: true } });
    expect(linked.error).toMatchObject({
      status: 404,
      code: 'manual_linking_disabled',
      message: 'Manual linking is disabled',
    });
    const identities = await client.auth.getUserIdentities();
    const identity = identities.data?.identities[0];
    if (!identity) throw new Error('expected an email identity');
    const unlinked = await client.auth.unlinkIdentity(identity);
    expect(unlinked.error).toMatchObject({ status: 404, code: 'manual_linking_disabled' });
  });

  it('Web3: 422 web3_provider_disabled', async () => {
    const { error } = await anonClient().auth.signInWithWeb3({
      chain: 'ethereum',
      message: 'example.com wants you to sign in with your Ethereum account',
      signature: '0x00',
    });
    expect(error).toMatchObject({ status: 422, code: 'web3_provider_disabled', message: 'Web3 provider is disabled' });
  });

  it('signInWithIdToken: 400 provider_disabled naming the issuer', async () => {
    const { error } = await anonClient().auth.signInWithIdToken({ provider: 'google', token: 'header.payload.sig' });
    expect(error).toMatchObject({
      status: 400,
      code: 'provider_disabled',
      message: 'Provider (issuer "https://accounts.google.com") is not enabled',
    });
    // Apple's issuer is read from the token itself, before anything else.
    const appleToken = await signJwt({ iss: 'https://appleid.apple.com', sub: 'x' }, 'not-apple-but-unread');
    const apple = await anonClient().auth.signInWithIdToken({ provider: 'apple', token: appleToken });
    expect(apple.error).toMatchObject({
      status: 400,
      code: 'provider_disabled',
      message: 'Provider (issuer "https://appleid.apple.com") is not enabled',
    });
    const notApple = await anonClient().auth.signInWithIdToken({ provider: 'apple', token: 'not-a-jwt' });
    expect(notApple.error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Unable to detect issuer in ID token for Apple provider',
    });
  });

  it('phone verifyOtp: 400 for a malformed number, 403 otp_expired for an unknown one', async () => {
    const malformed = await anonClient().auth.verifyOtp({ phone: 'not-a-number', token: '123456', type: 'sms' });
    expect(malformed.error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Invalid phone number format (E.164 required)',
    });
    const unknown = await anonClient().auth.verifyOtp({ phone: '+15555550123', token: '123456', type: 'sms' });
    expect(unknown.error).toMatchObject({
      status: 403,
      code: 'otp_expired',
      message: 'Token has expired or is invalid',
    });
  });
});

describe('auth fidelity: the gateway passes a bare apikey on as it is', () => {
  it('an apikey without Authorization is no Bearer token to GoTrue', async () => {
    const { error } = await bareKeyClient(config.serviceRoleKey).admin.listUsers();
    expect(error).toMatchObject({
      status: 401,
      code: 'no_authorization',
      message: 'This endpoint requires a valid Bearer token',
    });
    // With the Authorization header supabase-js always sends, the key works as before.
    expect((await serviceClient().auth.admin.listUsers({ perPage: 1 })).error).toBeNull();
  });
});

describe('auth fidelity: [auth.email] max_frequency', () => {
  it('answers a second reset mail within max_frequency with 429 over_email_send_rate_limit', async () => {
    const { email } = await signedInClient();
    const auth = anonClient().auth;
    expect((await auth.resetPasswordForEmail(email)).error).toBeNull();
    // config.toml: max_frequency = "1s"; the second request follows at once.
    const again = await auth.resetPasswordForEmail(email);
    expect(again.error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });
    expect(again.error?.message).toMatch(/^For security purposes, you can only request this after \d+ seconds\.$/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await auth.resetPasswordForEmail(email)).error).toBeNull();
  });
});
