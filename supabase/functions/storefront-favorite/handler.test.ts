import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { handleStorefrontFavorite, type StorefrontDeps } from './handler.ts';
import { hmacHex, signedMessage } from './signature.ts';

const SECRET = 'shop-secret';
const NOW = new Date('2026-12-07T12:00:00Z');
const base = 'https://ref.supabase.co/functions/v1/storefront-favorite';

function fakes(
  result: Awaited<ReturnType<StorefrontDeps['favourite']>> = { data: { customer: true, favourites: [7] }, error: null },
) {
  const calls: unknown[] = [];
  const deps: StorefrontDeps = {
    secret: (shop) => Promise.resolve(shop === 'demo.myshopify.com' ? SECRET : null),
    favourite: (input) => {
      calls.push(input);
      return Promise.resolve(result);
    },
    signupUrl: 'https://portal.example/portal/sign-up',
    now: () => NOW,
    log: () => undefined,
  };
  return { deps, calls };
}

async function request(params: Record<string, string>, secret = SECRET): Promise<Request> {
  const query = new URLSearchParams({
    shop: 'demo.myshopify.com',
    logged_in_customer_id: '42',
    path_prefix: '/apps/cairn',
    timestamp: String(NOW.getTime() / 1000),
    ...params,
  });
  query.append('signature', await hmacHex(secret, signedMessage(query)));
  return new Request(`${base}?${query}`);
}

Deno.test('a signed request sets the favourite of the logged-in customer', async () => {
  const { deps, calls } = fakes();
  const response = await handleStorefrontFavorite(await request({ variant: '7', favourite: 'true' }), deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { signed_in: true, known_customer: true, signup_url: null, favourites: [7] });
  strictEqual(calls.length, 1);
  deepStrictEqual((calls[0] as { setVariant: number; favourite: boolean; shopifyCustomerId: number }).setVariant, 7);
});

Deno.test('bad, missing or foreign signatures get 401 and reach no database write', async () => {
  const { deps, calls } = fakes();
  const tampered = new URL((await request({ variant: '7', favourite: 'true' })).url);
  tampered.searchParams.set('variant', '8');
  const unsigned = new URL(tampered);
  unsigned.searchParams.delete('signature');
  const otherShop = new URL(tampered);
  otherShop.searchParams.set('shop', 'evil.myshopify.com');
  for (const url of [tampered, unsigned, otherShop]) {
    const response = await handleStorefrontFavorite(new Request(url), deps);
    strictEqual(response.status, 401, url.search);
  }
  strictEqual((await handleStorefrontFavorite(await request({}, 'wrong'), deps)).status, 401);
  strictEqual(calls.length, 0);
});

Deno.test('a visitor who is not logged in is offered the sign-up; nothing is written', async () => {
  const { deps, calls } = fakes();
  const response = await handleStorefrontFavorite(
    await request({ logged_in_customer_id: '', variant: '7', favourite: 'true' }),
    deps,
  );
  deepStrictEqual(await response.json(), {
    signed_in: false,
    signup_url: 'https://portal.example/portal/sign-up',
    favourites: [],
  });
  strictEqual(calls.length, 0);
});

Deno.test('a replay is 401; bad parameters are 400 with the stable error shape', async () => {
  const replayed = fakes({ data: null, error: { code: '42501', message: 'already used', details: 'replayed' } });
  strictEqual((await handleStorefrontFavorite(await request({ variants: '1,2' }), replayed.deps)).status, 401);
  const { deps } = fakes();
  const cases: Array<Record<string, string>> = [
    { variant: 'x', favourite: 'true' },
    { variant: '7' },
    { variant: '7', favourite: 'yes' },
    { variants: '1,,2' },
  ];
  for (const params of cases) {
    const response = await handleStorefrontFavorite(await request(params), deps);
    strictEqual(response.status, 400, JSON.stringify(params));
    strictEqual(((await response.json()) as { error: { code: string } }).error.code, 'invalid_request');
  }
});
