/**
 * The storefront heart through a Shopify App Proxy (issue 12), against the running function:
 * Shopify's signature over the query (valid, tampered, expired, replayed, missing) is checked
 * with the shop's secret before anything is written; a logged-in Shopify customer's favourite is
 * saved for their Cairn customer; a visitor who is not logged in is offered the sign-up.
 */
import { createHmac, randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createShop } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';

const SECRET = 'storefront-test-secret';
const url = `${config.apiUrl}/functions/v1/storefront-favorite`;

function signedUrl(params: Record<string, string>, secret = SECRET): URL {
  const query = new URLSearchParams(params);
  const message = [...query.keys()]
    .map((key) => `${key}=${query.getAll(key).join(',')}`)
    .sort()
    .join('');
  query.append('signature', createHmac('sha256', secret).update(message).digest('hex'));
  return new URL(`${url}?${query}`);
}

describe('storefront-favorite (App Proxy)', () => {
  let shopDomain: string;
  let customerId: string;
  let shopifyCustomer: string;
  let variantExternal: string;

  beforeAll(async () => {
    const shopId = await createShop();
    [{ domain: shopDomain }] = await adminSql<{ domain: string }>('select domain from public.shops where id = $1', [
      shopId,
    ]);
    await adminSql('select public.set_shop_webhook_secret($1, $2)', [shopId, SECRET]);
    [{ id: customerId }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, email) values ('Shopify', $1) returning id`,
      [`storefront-${randomInt(1e9)}@example.test`],
    );
    shopifyCustomer = String(randomInt(1, 2 ** 40));
    await adminSql('insert into public.customer_external_ids (shop_id, external_id, customer_id) values ($1, $2, $3)', [
      shopId,
      shopifyCustomer,
      customerId,
    ]);
    const [{ id: productId }] = await adminSql<{ id: string }>(
      `insert into public.products (shop_id, external_id, title, status, source) values ($1, $2, 'Proxy bag', 'active', 'shopify') returning id`,
      [shopId, randomInt(1, 2 ** 40)],
    );
    variantExternal = String(randomInt(1, 2 ** 40));
    await adminSql(
      `insert into public.product_variants (product_id, external_id, price, currency, inventory_quantity) values ($1, $2, 50, 'EUR', 3)`,
      [productId, variantExternal],
    );
  });

  const params = (extra: Record<string, string> = {}, ageSeconds = 0) => ({
    shop: shopDomain,
    logged_in_customer_id: shopifyCustomer,
    path_prefix: '/apps/cairn',
    timestamp: String(Math.floor(Date.now() / 1000) - ageSeconds),
    n: String(randomInt(1e9)),
    ...extra,
  });
  const favourites = async () =>
    (await adminSql('select 1 from public.favorites where customer_id = $1', [customerId])).length;

  it('saves and removes the logged-in customer’s favourite for a valid signature', async () => {
    const saved = await fetch(signedUrl(params({ variant: variantExternal, favourite: 'true' })));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      signed_in: true,
      known_customer: true,
      favourites: [Number(variantExternal)],
    });
    expect(await favourites()).toBe(1);
    const state = await fetch(signedUrl(params({ variants: variantExternal })));
    expect((await state.json()) as unknown).toMatchObject({ favourites: [Number(variantExternal)] });
    const removed = await fetch(signedUrl(params({ variant: variantExternal, favourite: 'false' })));
    expect(await removed.json()).toMatchObject({ favourites: [] });
    expect(await favourites()).toBe(0);
  });

  it('answers 401 and writes nothing for a tampered, expired, replayed, foreign or missing signature', async () => {
    const tampered = signedUrl(params({ variant: variantExternal, favourite: 'true' }));
    tampered.searchParams.set('logged_in_customer_id', String(Number(shopifyCustomer) + 1));
    const expired = signedUrl(params({ variant: variantExternal, favourite: 'true' }, 600));
    const foreign = signedUrl(params({ variant: variantExternal, favourite: 'true' }), 'another-secret');
    const missing = signedUrl(params({ variant: variantExternal, favourite: 'true' }));
    missing.searchParams.delete('signature');
    for (const [name, target] of Object.entries({ tampered, expired, foreign, missing })) {
      const response = await fetch(target);
      expect(response.status, name).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code, name).toMatch(
        /^(invalid_signature|stale_timestamp|missing_signature)$/,
      );
    }
    expect(await favourites()).toBe(0);

    // Replayed: a captured "add" sent again after the shopper removed the favourite.
    const add = signedUrl(params({ variant: variantExternal, favourite: 'true' }));
    expect((await fetch(add)).status).toBe(200);
    expect((await fetch(signedUrl(params({ variant: variantExternal, favourite: 'false' })))).status).toBe(200);
    const replay = await fetch(add);
    expect(replay.status).toBe(401);
    expect(await favourites()).toBe(0);
  });

  it('offers a visitor who is not logged in the sign-up, and writes nothing', async () => {
    const response = await fetch(
      signedUrl(params({ logged_in_customer_id: '', variant: variantExternal, favourite: 'true' })),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ signed_in: false, favourites: [] });
    expect(await favourites()).toBe(0);
  });

  it('refuses bad input with 400 and an unknown variant with 404', async () => {
    const cases: Array<Record<string, string>> = [
      { variant: 'abc', favourite: 'true' },
      { variant: variantExternal },
      { variants: '1;2' },
    ];
    for (const extra of cases) {
      const response = await fetch(signedUrl(params(extra)));
      expect(response.status, JSON.stringify(extra)).toBe(400);
    }
    const unknown = await fetch(signedUrl(params({ variant: '999999999999', favourite: 'true' })));
    expect(unknown.status).toBe(404);
    expect(await favourites()).toBe(0);
  });
});
