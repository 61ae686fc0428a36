import { deepStrictEqual, rejects, strictEqual } from 'node:assert/strict';
import { toBase64, utf8 } from './bytes.ts';
import { createUnsubscribeToken, unsubscribeSecretFromEnv, verifyUnsubscribeToken } from './unsubscribe-token.ts';

const secret = 'test-unsubscribe-secret';
const customerId = '3f1c2a9e-6d2b-4c1e-9a7f-0b5d8e2c4a11';
const issued = new Date('2025-03-01T00:00:00Z');

Deno.test('a token round-trips its claims and is URL-safe', async () => {
  const token = await createUnsubscribeToken(customerId, 'email:alerts', secret, issued, 3600);
  strictEqual(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token), true, token);
  deepStrictEqual(await verifyUnsubscribeToken(token, secret, new Date('2025-03-01T00:59:59Z')), {
    ok: true,
    claims: { customerId, purpose: 'email:alerts', expiresAt: issued.getTime() / 1000 + 3600 },
  });
});

Deno.test('a token expires at its expiry second', async () => {
  const token = await createUnsubscribeToken(customerId, 'email:alerts', secret, issued, 3600);
  deepStrictEqual(await verifyUnsubscribeToken(token, secret, new Date('2025-03-01T01:00:00Z')), {
    ok: false,
    reason: 'expired',
  });
});

Deno.test('a tampered payload, signature or secret is refused', async () => {
  const token = await createUnsubscribeToken(customerId, 'email:alerts', secret, issued);
  const [payload, signature] = token.split('.');
  // Same signature, payload naming another customer.
  const forged = toBase64(utf8(JSON.stringify({ c: 'someone-else', p: 'email:all', e: 9_999_999_999 })), true);
  deepStrictEqual(await verifyUnsubscribeToken(`${forged}.${signature}`, secret, issued), {
    ok: false,
    reason: 'bad_signature',
  });
  const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
  deepStrictEqual(await verifyUnsubscribeToken(`${payload}.${flipped}`, secret, issued), {
    ok: false,
    reason: 'bad_signature',
  });
  deepStrictEqual(await verifyUnsubscribeToken(token, 'another-secret', issued), {
    ok: false,
    reason: 'bad_signature',
  });
});

Deno.test('malformed tokens are refused before any parsing', async () => {
  for (const bad of ['', 'abc', 'a.b.c', 'a.!!!', `${'a'.repeat(10)}.${'b'.repeat(10)}`]) {
    deepStrictEqual(await verifyUnsubscribeToken(bad, secret, issued), { ok: false, reason: 'malformed' }, bad);
  }
});

Deno.test('the secret comes from UNSUBSCRIBE_SECRET, else the service role key', async () => {
  const env = (values: Record<string, string>) => ({ get: (name: string) => values[name] });
  strictEqual(unsubscribeSecretFromEnv(env({ UNSUBSCRIBE_SECRET: 'a', SUPABASE_SERVICE_ROLE_KEY: 'b' })), 'a');
  strictEqual(unsubscribeSecretFromEnv(env({ SUPABASE_SERVICE_ROLE_KEY: 'b' })), 'b');
  let threw = false;
  try {
    unsubscribeSecretFromEnv(env({}));
  } catch {
    threw = true;
  }
  strictEqual(threw, true);
  await rejects(createUnsubscribeToken('', 'email:alerts', secret), RangeError);
});
