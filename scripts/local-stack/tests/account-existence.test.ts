/**
 * What an unauthenticated caller learns about whether an address has an account (review L-7,
 * docs/database.md "What a caller learns about an email"). Password recovery must answer an
 * unknown address exactly as a known one, as GoTrue does.
 */
import { describe, expect, it } from 'vitest';
import { config, signedInClient, uniqueEmail } from '../src/testing.ts';

async function recover(email: string) {
  const response = await fetch(`${config.apiUrl}/auth/v1/recover`, {
    method: 'POST',
    headers: { apikey: config.anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  return { status: response.status, body: await response.text() };
}

describe('auth: account existence', () => {
  it('/recover answers a known and an unknown address the same way', async () => {
    const { email } = await signedInClient(uniqueEmail('exists'));
    const known = await recover(email);
    const unknown = await recover(uniqueEmail('missing'));
    expect(known).toEqual({ status: 200, body: '{}' });
    expect(unknown).toEqual(known);
  });
});
