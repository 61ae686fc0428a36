import { strictEqual } from 'node:assert/strict';
import { hmacHex, signedMessage, verifyProxySignature } from './signature.ts';

const SECRET = 'hush';
const NOW = new Date('2026-12-07T12:00:00Z');
const TS = String(NOW.getTime() / 1000);

async function signed(params: Array<[string, string]>, secret = SECRET): Promise<URLSearchParams> {
  const query = new URLSearchParams(params);
  query.append('signature', await hmacHex(secret, signedMessage(query)));
  return query;
}

const base: Array<[string, string]> = [
  ['shop', 'demo.myshopify.com'],
  ['logged_in_customer_id', '42'],
  ['path_prefix', '/apps/cairn'],
  ['timestamp', TS],
];

Deno.test('the message is key=value pairs, repeated keys joined with commas, sorted, no separator', () => {
  const query = new URLSearchParams('shop=s&b=2&a=1&a=3&signature=x');
  strictEqual(signedMessage(query), 'a=1,3b=2shop=s');
});

Deno.test('a query signed with the shop secret passes', async () => {
  strictEqual((await verifyProxySignature(await signed(base), [SECRET], NOW)).ok, true);
});

Deno.test('a tampered parameter, another secret or a bad signature fails', async () => {
  const query = await signed([...base, ['variant', '7']]);
  query.set('variant', '8');
  strictEqual((await verifyProxySignature(query, [SECRET], NOW)).ok, false);
  strictEqual((await verifyProxySignature(await signed(base, 'other'), [SECRET], NOW)).ok, false);
  const bad = await signed(base);
  bad.set('signature', 'zz');
  const verdict = await verifyProxySignature(bad, [SECRET], NOW);
  strictEqual(verdict.ok ? 'ok' : verdict.code, 'invalid_signature');
});

Deno.test('a missing signature, timestamp or shop is missing_signature', async () => {
  for (const drop of ['signature', 'timestamp', 'shop']) {
    const query = await signed(base);
    query.delete(drop);
    const verdict = await verifyProxySignature(query, [SECRET], NOW);
    strictEqual(verdict.ok ? 'ok' : verdict.code, 'missing_signature', drop);
  }
});

Deno.test('a timestamp more than 5 minutes away is stale, even with a valid signature', async () => {
  for (const offset of [-301, 301]) {
    const query = await signed([
      ...base.filter(([key]) => key !== 'timestamp'),
      ['timestamp', String(Number(TS) + offset)],
    ]);
    const verdict = await verifyProxySignature(query, [SECRET], NOW);
    strictEqual(verdict.ok ? 'ok' : verdict.code, 'stale_timestamp', String(offset));
  }
  const fresh = await signed([...base.filter(([key]) => key !== 'timestamp'), ['timestamp', String(Number(TS) - 299)]]);
  strictEqual((await verifyProxySignature(fresh, [SECRET], NOW)).ok, true);
});
