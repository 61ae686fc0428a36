/**
 * shopify-connect (issue 11) against the local Shopify emulator: an admin connects a store with
 * a Dev Dashboard app's client ID and secret (or a legacy shpat_ token), Cairn checks them
 * against the shop before storing anything, keeps the secret and token in Vault (only their last
 * 4 characters readable, by admins), registers its webhook topics, rotates the secret with a
 * grace period during which webhooks signed with either secret are accepted, renews tokens on
 * schedule (recording failures), and disconnects (webhooks unregistered, secrets removed).
 * Non-admins are refused — by the function and by the database.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, anonClient, config, serviceClient } from '@cairn/local-stack/testing.ts';
import { type Cast, type Caller, createCast } from '../../../scripts/testing/support/team.ts';

interface EmulatorApp {
  clientId: string;
  clientSecret: string;
  legacyToken?: string;
}
interface EmulatorShop {
  domain: string;
  apps: EmulatorApp[];
}

const CRON_SECRET = 'cairn-local-cron-secret-not-for-production-0001';
let cast: Cast;

async function emulator(path: string, method = 'POST', body?: unknown) {
  const response = await fetch(`${config.shopifyUrl}/_emulator/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}
const newShop = async () => (await emulator('shops', 'POST', {})) as unknown as EmulatorShop;

async function tokenOf(persona: 'admin' | 'manager' | 'agent' | 'readonly' | 'shopper'): Promise<string> {
  const { data } = await cast.people[persona].client.auth.getSession();
  if (!data.session) throw new Error(`${persona} is not signed in`);
  return data.session.access_token;
}

async function call(token: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-connect`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      apikey: config.anonKey,
      'Content-Type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}

async function connect(shop: EmulatorShop, app = shop.apps[0]) {
  return call(await tokenOf('admin'), {
    action: 'connect',
    domain: shop.domain,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
}

const shopRow = async (domain: string) =>
  (
    await adminSql<{ id: string; active: boolean }>('select id, active from public.shops where domain = $1', [domain])
  )[0];
const vaultNames = async (shopId: string) =>
  (
    await adminSql<{ name: string }>(`select name from vault.secrets where name like $1 order by name`, [
      `shopify:${shopId}:%`,
    ])
  ).map((row) => row.name);
const subscriptions = async (domain: string) =>
  ((await emulator(`shops/${domain}`, 'GET')).subscriptions as Array<{ topic: string; uri: string }>) ?? [];

async function deliver(domain: string, secret: string) {
  const body = JSON.stringify({
    id: 1,
    email: `rotation-${randomUUID()}@example.com`,
    updated_at: new Date().toISOString(),
  });
  const response = await fetch(`${config.apiUrl}/functions/v1/shopify-webhook`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': 'app/unknown_topic',
      'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
      'X-Shopify-Shop-Domain': domain,
      'X-Shopify-API-Version': '2025-07',
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Event-Id': randomUUID(),
      'X-Shopify-Triggered-At': new Date().toISOString(),
    },
    body,
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  cast = await createCast('shopify-connect');
});
afterAll(() => cast?.end());

describe('connect', () => {
  it('verifies the credentials, stores the shop, keeps secrets in Vault and registers every webhook topic', async () => {
    const shop = await newShop();
    const { status, body } = await connect(shop);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      currency: 'EUR',
      timezone: 'Europe/Madrid',
      webhooks: { registered: 16, expected: 16, failures: [] },
    });

    const row = await shopRow(shop.domain);
    expect(row.active).toBe(true);
    expect(await vaultNames(row.id)).toEqual([`shopify:${row.id}:access_token`, `shopify:${row.id}:client_secret`]);
    const subs = await subscriptions(shop.domain);
    expect(subs).toHaveLength(16);
    expect(new Set(subs.map((s) => s.uri))).toEqual(new Set([`${config.apiUrl}/functions/v1/shopify-webhook`]));

    // Only the last 4 characters are readable, and only by admins.
    const { data, error } = await cast
      .client('admin')
      .from('shop_connections')
      .select('auth_kind, client_id, secret_last4, token_last4, token_expires_at, webhooks')
      .eq('shop_id', row.id)
      .single();
    expect(error).toBeNull();
    expect(data).toMatchObject({
      auth_kind: 'client_credentials',
      client_id: shop.apps[0].clientId,
      secret_last4: shop.apps[0].clientSecret.slice(-4),
    });
    expect(Date.parse(String(data?.token_expires_at))).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(Object.keys(data?.webhooks ?? {})).toHaveLength(16);
    expect(JSON.stringify(data)).not.toContain(shop.apps[0].clientSecret);

    // Webhooks signed with the client secret are accepted at once.
    expect(await deliver(shop.domain, shop.apps[0].clientSecret)).toBe(200);

    // Connecting again is idempotent: no duplicate subscriptions.
    expect((await connect(shop)).status).toBe(200);
    expect(await subscriptions(shop.domain)).toHaveLength(16);
  });

  it('accepts a legacy custom app’s shpat_ token with its API secret key', async () => {
    const shop = await newShop();
    const legacy = shop.apps[2];
    const { status, body } = await call(await tokenOf('admin'), {
      action: 'connect',
      domain: shop.domain.replace('.myshopify.com', ''),
      access_token: legacy.legacyToken,
      client_secret: legacy.clientSecret,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    const row = await shopRow(shop.domain);
    const [connection] = await adminSql<{ auth_kind: string; token_expires_at: string | null; token_last4: string }>(
      'select auth_kind, token_expires_at, token_last4 from public.shop_connections where shop_id = $1',
      [row.id],
    );
    expect(connection).toEqual({
      auth_kind: 'legacy_token',
      token_expires_at: null,
      token_last4: legacy.legacyToken?.slice(-4),
    });
  });

  it('refuses a wrong secret, an unknown shop and a malformed domain with a clear error, storing nothing', async () => {
    const shop = await newShop();
    const wrong = await call(await tokenOf('admin'), {
      action: 'connect',
      domain: shop.domain,
      client_id: shop.apps[0].clientId,
      client_secret: 'definitely-not-the-secret',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('client ID or client secret'),
    });
    expect(await shopRow(shop.domain)).toBeUndefined();
    expect(await subscriptions(shop.domain)).toEqual([]);

    const unknown = await call(await tokenOf('admin'), {
      action: 'connect',
      domain: 'no-such-store.myshopify.com',
      client_id: 'x',
      client_secret: 'a-secret-of-sixteen-chars',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.message).toContain('no Shopify store');
    expect(await shopRow('no-such-store.myshopify.com')).toBeUndefined();

    const badToken = await call(await tokenOf('admin'), {
      action: 'connect',
      domain: shop.domain,
      access_token: 'shpat_wrong0000000000000000000000',
      client_secret: 'a-secret-of-sixteen-chars',
    });
    expect(badToken.status).toBe(400);
    expect(badToken.body.error?.message).toContain('refused the access token');

    for (const body of [
      { action: 'connect', domain: 'not a domain!', client_id: 'x', client_secret: 'a-secret-of-sixteen-chars' },
      { action: 'connect', domain: shop.domain, client_secret: 'a-secret-of-sixteen-chars' },
      { action: 'connect', domain: shop.domain, client_id: 'x', client_secret: 'short' },
      {
        action: 'connect',
        domain: shop.domain,
        access_token: 'not-a-shpat-token',
        client_secret: 'a-secret-of-sixteen-chars',
      },
      { action: 'explode' },
      { action: 'repair', shop_id: 'not-a-uuid' },
      '{"action":',
      '[]',
    ]) {
      const refused = await call(await tokenOf('admin'), body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.error?.code).toMatch(/^invalid_(request|json)$/);
    }
    expect(await shopRow(shop.domain)).toBeUndefined();
  });

  it('is refused for every non-admin, by the function and by the database', async () => {
    const shop = await newShop();
    const body = {
      action: 'connect',
      domain: shop.domain,
      client_id: shop.apps[0].clientId,
      client_secret: shop.apps[0].clientSecret,
    };
    for (const persona of ['manager', 'agent', 'readonly', 'shopper'] as const) {
      const refused = await call(await tokenOf(persona), body);
      expect(refused.status, persona).toBe(403);
      expect(refused.body.error?.code).toBe('forbidden');
    }
    expect((await call(config.anonKey, body)).status).toBe(401);
    expect(await shopRow(shop.domain)).toBeUndefined();

    // The database refuses a non-admin actor even through the service role.
    const { error } = await serviceClient().rpc('shopify_save_connection', {
      actor: cast.people.manager.userId,
      domain: shop.domain,
      shop_name: 'Sneaky',
      currency: 'EUR',
      timezone: 'UTC',
      auth_kind: 'client_credentials',
      client_id: 'x',
      client_secret: 'a-secret-of-sixteen-chars',
      access_token: 'shpat_0000000000',
      token_expires_at: null,
      scopes: [],
      webhook_url: 'https://example.test/',
    });
    expect(error?.code).toBe('42501');
    // And no API role may call the service-role functions at all.
    for (const caller of ['admin', 'anon'] as Caller[]) {
      const client = caller === 'anon' ? anonClient() : cast.client(caller);
      const { error: denied } = await client.rpc('shopify_credentials', { shop_id: randomUUID() });
      expect(denied?.code, caller).toBe('42501');
    }
  });
});

describe('shop_connections: access rules', () => {
  it('admins read connections; every other caller reads none and nobody writes through the API', async () => {
    const shop = await newShop();
    expect((await connect(shop)).status).toBe(200);
    const counts = await cast.countsAs(
      ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'],
      'select count(*)::int as n from public.shop_connections where shop_id = (select id from public.shops where domain = $1)',
      [shop.domain],
    );
    expect(counts).toEqual({ admin: 1, manager: 0, agent: 0, readonly: 0, shopper: 0, stranger: 0 });
    await expect(cast.sql('anon', 'select count(*) from public.shop_connections')).rejects.toMatchObject({
      code: '42501',
    });
    for (const caller of ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      for (const statement of [
        `update public.shop_connections set secret_last4 = 'abcd'`,
        `delete from public.shop_connections`,
        `insert into public.shop_connections (shop_id, auth_kind, secret_last4, token_last4, webhook_url) select id, 'legacy_token', 'abcd', 'abcd', 'x' from public.shops limit 1`,
      ]) {
        await expect(cast.sql(caller, statement), `${caller}: ${statement}`).rejects.toMatchObject({ code: '42501' });
      }
    }
    // Secrets never come out through the API: the Vault view is out of reach of API roles.
    for (const caller of ['admin', 'authenticated', 'anon'] as const) {
      const as = caller === 'authenticated' ? 'manager' : caller;
      await expect(cast.sql(as, 'select decrypted_secret from vault.decrypted_secrets')).rejects.toMatchObject({
        code: '42501',
      });
    }
  });
});

describe('rotate, renew, repair and disconnect', () => {
  it('rotates the secret: both secrets verify webhooks during the grace period, only the new one after', async () => {
    const shop = await newShop();
    expect((await connect(shop)).status).toBe(200);
    const row = await shopRow(shop.domain);
    const oldSecret = shop.apps[0].clientSecret;
    // The shop's app gets a new secret in the Dev Dashboard; the emulator learns it.
    const newSecret = `rotated-${randomUUID()}`;
    const rotateWrong = await call(await tokenOf('admin'), {
      action: 'rotate',
      shop_id: row.id,
      client_secret: newSecret,
    });
    // The emulator still knows only the old secret: a secret Shopify refuses is never stored.
    expect(rotateWrong.status).toBe(400);
    expect(await deliver(shop.domain, oldSecret)).toBe(200);
    // Now the app's secret changes in Shopify; Cairn's rotation checks the new one with a grant.
    await emulator(`shops/${shop.domain}/apps/${shop.apps[0].clientId}`, 'PUT', { clientSecret: newSecret });
    const rotatedGrant = await call(await tokenOf('admin'), {
      action: 'rotate',
      shop_id: row.id,
      client_secret: newSecret,
    });
    expect(rotatedGrant.status, JSON.stringify(rotatedGrant.body)).toBe(200);
    expect(await deliver(shop.domain, newSecret)).toBe(200);
    expect(await deliver(shop.domain, oldSecret)).toBe(200);

    // Rotation of a legacy app's secret (no grant to check it against) keeps the old one valid.
    const legacyShop = await newShop();
    const legacy = legacyShop.apps[2];
    expect(
      (
        await call(await tokenOf('admin'), {
          action: 'connect',
          domain: legacyShop.domain,
          access_token: legacy.legacyToken,
          client_secret: legacy.clientSecret,
        })
      ).status,
    ).toBe(200);
    const legacyRow = await shopRow(legacyShop.domain);
    const rotated = await call(await tokenOf('admin'), {
      action: 'rotate',
      shop_id: legacyRow.id,
      client_secret: newSecret,
    });
    expect(rotated).toEqual({ status: 200, body: { rotated: true, secret_last4: newSecret.slice(-4) } });
    expect(await deliver(legacyShop.domain, newSecret)).toBe(200);
    expect(await deliver(legacyShop.domain, legacy.clientSecret)).toBe(200);
    expect(await deliver(legacyShop.domain, 'neither-secret-at-all')).toBe(401);
    // Grace over: only the new secret.
    await adminSql(
      `update public.shop_connections set previous_secret_valid_until = now() - interval '1 second' where shop_id = $1`,
      [legacyRow.id],
    );
    expect(await deliver(legacyShop.domain, legacy.clientSecret)).toBe(401);
    expect(await deliver(legacyShop.domain, newSecret)).toBe(200);
  });

  it('renews tokens ending within 2 hours on schedule and records a failed renewal', async () => {
    const shop = await newShop();
    expect((await connect(shop)).status).toBe(200);
    const row = await shopRow(shop.domain);
    const other = await newShop();
    expect((await connect(other)).status).toBe(200);
    const otherRow = await shopRow(other.domain);
    await adminSql(
      `update public.shop_connections set token_expires_at = now() + interval '1 hour' where shop_id = any($1::uuid[])`,
      [[row.id, otherRow.id]],
    );
    // The other shop's app was deleted: its renewal fails.
    await adminSql(`select private.put_shopify_secret($1, 'client_secret', 'a-secret-shopify-no-longer-knows')`, [
      otherRow.id,
    ]);
    const refused = await call(config.anonKey, { action: 'renew' });
    expect(refused.status).toBe(403);
    const renewed = await call(config.anonKey, { action: 'renew' }, { 'X-Cron-Secret': CRON_SECRET });
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(200);
    expect(renewed.body.failed).toContain(otherRow.id);
    const rows = await adminSql<{ shop_id: string; token_expires_at: Date; token_error: string | null }>(
      'select shop_id, token_expires_at, token_error from public.shop_connections where shop_id = any($1::uuid[])',
      [[row.id, otherRow.id]],
    );
    const mine = rows.find((r) => r.shop_id === row.id);
    const theirs = rows.find((r) => r.shop_id === otherRow.id);
    expect(mine?.token_error).toBeNull();
    expect(mine?.token_expires_at.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(theirs?.token_error).toContain('refused the client ID or client secret');
    // Every active admin is alerted once per failing streak (not at every 30-minute retry); no one else.
    const alerts = async () =>
      adminSql<{ recipient_id: string; title: string; link: string }>(
        `select recipient_id, title, link from public.notifications where kind = 'integration_failed' and data ->> 'shop_id' = $1`,
        [otherRow.id],
      );
    const first = await alerts();
    const [{ admins }] = await adminSql<{ admins: string[] }>(
      `select array_agg(user_id::text order by user_id) as admins from public.team_members where role = 'admin' and active`,
    );
    expect(first.map((alert) => alert.recipient_id).sort()).toEqual(admins);
    expect(first.map((alert) => alert.recipient_id)).toContain(cast.people.admin.userId);
    expect(first.map((alert) => alert.recipient_id)).not.toContain(cast.people.manager.userId);
    expect(first[0]).toMatchObject({ link: `/settings/integrations?shop=${otherRow.id}` });
    expect(first[0].title).toContain(other.domain);
    await adminSql(
      `update public.shop_connections set token_expires_at = now() + interval '1 hour' where shop_id = $1`,
      [otherRow.id],
    );
    expect((await call(config.anonKey, { action: 'renew' }, { 'X-Cron-Secret': CRON_SECRET })).body.failed).toContain(
      otherRow.id,
    );
    expect(await alerts()).toHaveLength(first.length);
  });

  it('repairs missing webhook subscriptions and disconnects: webhooks unregistered, secrets removed', async () => {
    const shop = await newShop();
    expect((await connect(shop)).status).toBe(200);
    const row = await shopRow(shop.domain);
    // Someone deleted two subscriptions in Shopify.
    const token = await fetch(`${config.shopifyUrl}/store/${shop.domain}/admin/oauth/access_token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: shop.apps[0].clientId,
        client_secret: shop.apps[0].clientSecret,
      }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const [connection] = await adminSql<{ webhooks: Record<string, string> }>(
      'select webhooks from public.shop_connections where shop_id = $1',
      [row.id],
    );
    for (const topic of ['ORDERS_CREATE', 'CUSTOMERS_UPDATE'])
      await fetch(`${config.shopifyUrl}/store/${shop.domain}/admin/api/2025-07/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': token },
        body: JSON.stringify({
          query: 'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId } }',
          variables: { id: connection.webhooks[topic] },
        }),
      });
    expect(await subscriptions(shop.domain)).toHaveLength(14);
    const forbidden = await call(await tokenOf('manager'), { action: 'repair', shop_id: row.id });
    expect(forbidden.status).toBe(403);
    const repaired = await call(await tokenOf('admin'), { action: 'repair', shop_id: row.id });
    expect(repaired.body).toEqual({ registered: 16, expected: 16, failures: [] });
    expect(await subscriptions(shop.domain)).toHaveLength(16);

    expect((await call(await tokenOf('readonly'), { action: 'disconnect', shop_id: row.id })).status).toBe(403);
    const gone = await call(await tokenOf('admin'), { action: 'disconnect', shop_id: row.id });
    expect(gone.body).toEqual({ disconnected: true, webhooks_removed: 16, unregister_error: null });
    expect(await subscriptions(shop.domain)).toEqual([]);
    expect(await vaultNames(row.id)).toEqual([]);
    expect((await shopRow(shop.domain)).active).toBe(false);
    expect(await deliver(shop.domain, shop.apps[0].clientSecret)).toBe(401);
    expect((await call(await tokenOf('admin'), { action: 'repair', shop_id: row.id })).status).toBe(404);
  });
});
