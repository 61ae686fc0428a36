/**
 * `[auth.rate_limit]` as GoTrue applies it, on an instance of this file's own (auth + gateway)
 * that runs config.toml's real limits: the shared test instance relaxes them
 * (CAIRN_STACK_AUTH_RATE_LIMIT_FACTOR, set by global-setup.ts), since the suite signs in
 * hundreds of times from one address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../src/settings.ts';
import { startOwnStack, type OwnStack } from './support/own-stack.ts';
import { uniqueEmail } from '../src/testing.ts';

let stack: OwnStack;
const settings = () => loadSettings(stack.config.root);

beforeAll(async () => {
  stack = await startOwnStack('ratelimit', {
    parts: ['auth', 'gateway'],
    offset: 100,
    env: { CAIRN_STACK_AUTH_RATE_LIMIT_FACTOR: undefined },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const NEW_SHAPE = { 'X-Supabase-Api-Version': '2024-01-01' };
const TOO_MANY = { code: 'over_request_rate_limit', message: 'Request rate limit reached' };

function auth(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.config.apiUrl}/auth/v1${path}`, {
    method: 'POST',
    headers: { apikey: stack.config.anonKey, 'content-type': 'application/json', ...NEW_SHAPE, ...headers },
    body: JSON.stringify(body),
  });
}

async function createUser(email: string, password: string): Promise<void> {
  const response = await fetch(`${stack.config.apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: {
      apikey: stack.config.serviceRoleKey,
      authorization: `Bearer ${stack.config.serviceRoleKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ email, password, email_confirm: true }),
  });
  expect(response.status).toBe(200);
}

async function latestOtp(email: string): Promise<string> {
  const base = stack.config.mailUrl;
  for (let attempt = 0; attempt < 50; attempt++) {
    const list = (await (await fetch(`${base}/api/v1/messages?to=${encodeURIComponent(email)}`)).json()) as {
      messages: Array<{ id: string }>;
    };
    if (list.messages[0]) {
      const message = (await (await fetch(`${base}/api/v1/message/${list.messages[0].id}`)).json()) as {
        text?: string;
      };
      const otp = message.text?.match(/code: (\d{6})/)?.[1];
      if (otp) return otp;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no OTP mailed to ${email}`);
}

describe('auth rate limits (config.toml values)', () => {
  it('runs config.toml’s limits on this instance', () => {
    expect(settings().auth.rateLimit).toMatchObject({ tokenRefresh: 150, signInSignUps: 30, tokenVerifications: 30 });
  });

  it('refuses the 61st wrong password (429), whatever X-Forwarded-For says, and then the right one too', async () => {
    const email = uniqueEmail('brute');
    await createUser(email, 'the-right-password-1');
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const response = await auth(
        '/token?grant_type=password',
        { email, password: `wrong-${i}` },
        { 'x-forwarded-for': `10.1.${i}.7` },
      );
      statuses.push(response.status);
    }
    expect(statuses[0]).toBe(400);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(20);
    const right = await auth('/token?grant_type=password', { email, password: 'the-right-password-1' });
    expect(right.status).toBe(429);
    expect(await right.json()).toEqual(TOO_MANY);
    expect(right.headers.get('x-sb-error-code')).toBe('over_request_rate_limit');
  });

  it('invalidates a recovery OTP after repeated wrong tries, and limits verifications per address', async () => {
    const email = uniqueEmail('otp');
    await createUser(email, 'the-right-password-2');
    expect((await auth('/recover', { email })).status).toBe(200);
    const otp = await latestOtp(email);
    const wrongOtp = (n: number) => String((Number(otp) + 1 + n) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const wrong = await auth('/verify', { type: 'recovery', email, token: wrongOtp(i) });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ code: 'otp_expired' });
    }
    // The mailed code itself no longer works: guessing cannot outlast it.
    const right = await auth('/verify', { type: 'recovery', email, token: otp });
    expect(right.status).toBe(403);
    expect(await right.json()).toMatchObject({ code: 'otp_expired' });

    // Brute force from one address runs into token_verifications (30 in a burst).
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      statuses.push((await auth('/verify', { type: 'recovery', email, token: wrongOtp(10 + i) })).status);
    }
    expect(statuses).toContain(429);
  });
});
