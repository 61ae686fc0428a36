/**
 * Contract tests of the Shopify Admin API emulator: what a client of the real Admin API gets —
 * the client credentials grant (24 h tokens) and legacy `shpat_` tokens, the
 * X-Shopify-Access-Token check, GraphQL answers and error shapes, cost-based throttling
 * (THROTTLED), the 60-day order window without read_all_orders, bulk operations with their JSONL
 * (`__parentId` children after their parent), webhook subscriptions and signed deliveries.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_APP, DEMO_LEGACY_APP, DEMO_RECENT_ONLY_APP, DEMO_SHOP_DOMAIN } from '../src/shopify/demo.ts';
import { config } from '../src/testing.ts';

const shopUrl = `${config.shopifyUrl}/store/${DEMO_SHOP_DOMAIN}`;
const graphqlUrl = `${shopUrl}/admin/api/2025-07/graphql.json`;

async function control(path: string, method = 'POST', body?: unknown) {
  const response = await fetch(`${config.shopifyUrl}/_emulator/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.json() as Promise<Record<string, unknown>>;
}

async function token(app = DEMO_APP): Promise<string> {
  const response = await fetch(`${shopUrl}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface GraphResponse {
  data?: Json;
  errors?: Json;
  extensions?: { cost: Json };
}

/** The value at `keys` inside a JSON answer (a test failure when it is not there). */
function get(value: Json | undefined, ...keys: Array<string | number>): Json {
  let here: Json | undefined = value;
  for (const key of keys) {
    if (here === null || typeof here !== 'object') throw new Error(`no ${String(key)} in ${JSON.stringify(here)}`);
    here = (here as Record<string, Json>)[key];
  }
  if (here === undefined) throw new Error(`nothing at ${keys.join('.')}`);
  return here;
}
const list = (value: Json) => (Array.isArray(value) ? value : []);

async function gql(accessToken: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphResponse };
}

beforeEach(async () => {
  await control('reset');
});

describe('client credentials grant', () => {
  it('answers a token with its scopes and a 24-hour expiry, to a form or a JSON body', async () => {
    const form = await fetch(`${shopUrl}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${DEMO_APP.clientId}&client_secret=${DEMO_APP.clientSecret}`,
    });
    expect(form.status).toBe(200);
    const granted = (await form.json()) as Record<string, unknown>;
    expect(Object.keys(granted).sort()).toEqual(['access_token', 'expires_in', 'scope']);
    expect(granted.access_token).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(granted.expires_in).toBe(86399);
    expect(String(granted.scope).split(',')).toContain('read_all_orders');

    const json = await fetch(`${shopUrl}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: DEMO_RECENT_ONLY_APP.clientId,
        client_secret: DEMO_RECENT_ONLY_APP.clientSecret,
      }),
    });
    expect(json.status).toBe(200);
    expect(String(((await json.json()) as { scope: string }).scope).split(',')).not.toContain('read_all_orders');
  });

  it('refuses a wrong secret, an unknown client, another grant type and an unknown shop', async () => {
    const post = (url: string, body: Record<string, string>) =>
      fetch(url, { method: 'POST', body: new URLSearchParams(body) });
    const wrong = await post(`${shopUrl}/admin/oauth/access_token`, {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: 'not-the-secret',
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const unknown = await post(`${shopUrl}/admin/oauth/access_token`, {
      grant_type: 'client_credentials',
      client_id: 'nobody',
      client_secret: DEMO_APP.clientSecret,
    });
    expect(unknown.status).toBe(400);
    const grantType = await post(`${shopUrl}/admin/oauth/access_token`, {
      grant_type: 'authorization_code',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
    });
    expect(await grantType.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const shop = await post(`${config.shopifyUrl}/store/no-such-shop.myshopify.com/admin/oauth/access_token`, {
      grant_type: 'client_credentials',
      client_id: DEMO_APP.clientId,
      client_secret: DEMO_APP.clientSecret,
    });
    expect(shop.status).toBe(404);
  });

  it('checks X-Shopify-Access-Token: none, a wrong one and an expired one are 401; a legacy shpat_ token works', async () => {
    const query = '{ shop { name } }';
    const invalid = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
    const none = await fetch(graphqlUrl, { method: 'POST', body: JSON.stringify({ query }) });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual(invalid);
    expect(await gql('shpat_00000000000000000000000000000000', query)).toEqual({ status: 401, body: invalid });

    const fresh = await token();
    expect((await gql(fresh, query)).status).toBe(200);
    await control('clock', 'POST', { advanceSeconds: 86_399 });
    expect(await gql(fresh, query)).toEqual({ status: 401, body: invalid });

    const legacy = await gql(DEMO_LEGACY_APP.legacyToken ?? '', query);
    expect(legacy.status).toBe(200);
    expect(legacy.body.data).toEqual({ shop: { name: 'Cairn Demo Boutique' } });
  });
});

describe('GraphQL Admin API', () => {
  let accessToken: string;
  beforeEach(async () => {
    accessToken = await token();
  });

  it('answers the shop query with the seed shop and the cost extension', async () => {
    const { status, body } = await gql(
      accessToken,
      'query Shop { shop { name currencyCode ianaTimezone myshopifyDomain } }',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({
      shop: {
        name: 'Cairn Demo Boutique',
        currencyCode: 'EUR',
        ianaTimezone: 'Europe/Madrid',
        myshopifyDomain: DEMO_SHOP_DOMAIN,
      },
    });
    expect(get(body.extensions, 'cost')).toEqual({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 999, restoreRate: 100 },
    });
  });

  it('gives syntax errors and unknown fields as GraphQL errors without data', async () => {
    const syntax = await gql(accessToken, '{ shop { name }');
    expect(syntax.status).toBe(200);
    expect(syntax.body.data).toBeUndefined();
    expect(get(syntax.body.errors, 0)).toMatchObject({
      message: expect.stringContaining('syntax error'),
      locations: [expect.any(Object)],
    });
    const unknown = await gql(accessToken, '{ shop { name nope } }');
    expect(unknown.body).toEqual({
      errors: [
        {
          message: "Field 'nope' doesn't exist on type 'Shop'",
          locations: [{ line: 1, column: 15 }],
          path: ['shop', 'nope'],
          extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'nope' },
        },
      ],
    });
    const unpaged = await gql(accessToken, '{ orders { edges { node { id } } } }');
    expect(get(unpaged.body.errors, 0, 'message')).toBe('you must provide one of first or last');
  });

  it('pages orders with cursors and filters them by updated_at', async () => {
    const query = `query Orders($after: String, $q: String) {
      orders(first: 2, after: $after, query: $q) {
        edges { cursor node { id legacyResourceId name updatedAt totalPriceSet { shopMoney { amount currencyCode } } } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await gql(accessToken, query);
    const edges = get(first.body.data, 'orders', 'edges');
    expect(edges).toHaveLength(2);
    expect(get(edges, 0, 'node', 'id')).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(get(edges, 0, 'node', 'totalPriceSet', 'shopMoney', 'currencyCode')).toBe('EUR');
    expect(get(first.body.data, 'orders', 'pageInfo', 'hasNextPage')).toBe(true);
    const second = await gql(accessToken, query, { after: get(first.body.data, 'orders', 'pageInfo', 'endCursor') });
    expect(get(second.body.data, 'orders', 'edges', 0, 'node', 'name')).not.toBe(get(edges, 1, 'node', 'name'));

    const since = new Date(Date.now() - 1000).toISOString();
    expect(get((await gql(accessToken, query, { q: `updated_at:>'${since}'` })).body.data, 'orders', 'edges')).toEqual(
      [],
    );
    const id = Number(get(edges, 0, 'node', 'legacyResourceId'));
    await control(`shops/${DEMO_SHOP_DOMAIN}/changes`, 'POST', {
      kind: 'order',
      id,
      patch: { financialStatus: 'REFUNDED' },
    });
    const changed = get((await gql(accessToken, query, { q: `updated_at:>'${since}'` })).body.data, 'orders', 'edges');
    expect(list(changed).map((edge) => get(edge, 'node', 'legacyResourceId'))).toEqual([String(id)]);
  });

  it('answers only the last 60 days of orders to an app without read_all_orders', async () => {
    const count = async (accessTokenOf: string) => {
      let seen = 0;
      let oldest = Infinity;
      let after: string | null = null;
      for (;;) {
        const { body } = await gql(
          accessTokenOf,
          'query($after: String) { orders(first: 250, after: $after) { nodes { createdAt } pageInfo { hasNextPage endCursor } } }',
          { after },
        );
        for (const node of list(get(body.data, 'orders', 'nodes'))) {
          seen += 1;
          oldest = Math.min(oldest, Date.parse(String(get(node, 'createdAt'))));
        }
        if (!get(body.data, 'orders', 'pageInfo', 'hasNextPage')) return { seen, oldest };
        after = String(get(body.data, 'orders', 'pageInfo', 'endCursor'));
      }
    };
    await control(`shops/${DEMO_SHOP_DOMAIN}/throttle`, 'PUT', { maximumAvailable: 100_000, restoreRate: 100_000 });
    const all = await count(accessToken);
    const recent = await count(await token(DEMO_RECENT_ONLY_APP));
    expect(all.seen).toBe(1200);
    expect(recent.seen).toBeGreaterThan(0);
    expect(recent.seen).toBeLessThan(all.seen / 5);
    expect(recent.oldest).toBeGreaterThanOrEqual(Date.now() - 60 * 86_400_000 - 60_000);
    expect(all.oldest).toBeLessThan(Date.now() - 365 * 86_400_000);
  });

  it('throttles by cost: THROTTLED with the throttle status when the bucket cannot pay', async () => {
    await control(`shops/${DEMO_SHOP_DOMAIN}/throttle`, 'PUT', { maximumAvailable: 40, restoreRate: 1 });
    // A connection costs 2 plus `first` times its node's cost (an object: 1).
    const query = '{ customers(first: 25) { nodes { id } } }';
    const ok = await gql(accessToken, query);
    expect(get(ok.body.extensions, 'cost', 'requestedQueryCost')).toBe(27);
    const throttled = await gql(accessToken, query);
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [
        {
          message: 'Throttled',
          extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: 27,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 40, currentlyAvailable: expect.any(Number), restoreRate: 1 },
        },
      },
    });
    expect(get(throttled.body.extensions, 'cost', 'throttleStatus', 'currentlyAvailable')).toBeLessThan(27);
  });
});

describe('webhook subscriptions and deliveries', () => {
  let receiver: ReturnType<typeof createServer>;
  let receiverUrl: string;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/functions/v1/shopify-webhook`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  const create = `mutation Create($topic: WebhookSubscriptionTopic!, $uri: URL!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: { callbackUrl: $uri, format: JSON }) {
      webhookSubscription { id topic uri endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
      userErrors { field message }
    }
  }`;

  it('creates, lists and deletes subscriptions with Shopify user errors for duplicates and unknown ids', async () => {
    const accessToken = await token();
    const made = await gql(accessToken, create, { topic: 'ORDERS_CREATE', uri: receiverUrl });
    const payload = get(made.body.data, 'webhookSubscriptionCreate');
    expect(get(payload, 'userErrors')).toEqual([]);
    expect(get(payload, 'webhookSubscription')).toMatchObject({
      id: expect.stringMatching(/^gid:\/\/shopify\/WebhookSubscription\/\d+$/),
      topic: 'ORDERS_CREATE',
      uri: receiverUrl,
      endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: receiverUrl },
    });
    const again = await gql(accessToken, create, { topic: 'ORDERS_CREATE', uri: receiverUrl });
    expect(get(again.body.data, 'webhookSubscriptionCreate')).toEqual({
      webhookSubscription: null,
      userErrors: [
        { field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' },
      ],
    });
    const badTopic = await gql(accessToken, create, { topic: 'ORDERS_EATEN', uri: receiverUrl });
    expect(get(badTopic.body.errors, 0, 'message')).toContain('has an invalid value (ORDERS_EATEN)');

    const list = await gql(accessToken, '{ webhookSubscriptions(first: 50) { edges { node { id topic uri } } } }');
    expect(get(list.body.data, 'webhookSubscriptions', 'edges')).toHaveLength(1);
    // Another app of the same shop does not see (or delete) this app's subscriptions.
    const other = await token(DEMO_RECENT_ONLY_APP);
    expect(
      get(
        (await gql(other, '{ webhookSubscriptions(first: 50) { nodes { id } } }')).body.data,
        'webhookSubscriptions',
        'nodes',
      ),
    ).toEqual([]);

    const remove = `mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }`;
    const id = get(payload, 'webhookSubscription', 'id');
    expect(get((await gql(other, remove, { id })).body.data, 'webhookSubscriptionDelete', 'userErrors')).toEqual([
      { field: ['id'], message: 'Webhook subscription does not exist' },
    ]);
    expect(get((await gql(accessToken, remove, { id })).body.data, 'webhookSubscriptionDelete')).toEqual({
      deletedWebhookSubscriptionId: id,
      userErrors: [],
    });
  });

  it('sends a changed record to its subscriptions, signed with the app client secret', async () => {
    received.length = 0;
    const accessToken = await token();
    await gql(accessToken, create, { topic: 'CUSTOMERS_UPDATE', uri: receiverUrl });
    const first = await gql(accessToken, '{ customers(first: 1) { nodes { legacyResourceId } } }');
    const id = Number(get(first.body.data, 'customers', 'nodes', 0, 'legacyResourceId'));
    const result = await control(`shops/${DEMO_SHOP_DOMAIN}/changes`, 'POST', {
      kind: 'customer',
      id,
      patch: { firstName: 'Renamed' },
    });
    expect(result.deliveries).toEqual([expect.objectContaining({ status: 200, topic: 'CUSTOMERS_UPDATE' })]);
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery.headers['x-shopify-topic']).toBe('customers/update');
    expect(delivery.headers['x-shopify-shop-domain']).toBe(DEMO_SHOP_DOMAIN);
    expect(delivery.headers['x-shopify-hmac-sha256']).toBe(
      createHmac('sha256', DEMO_APP.clientSecret).update(delivery.body).digest('base64'),
    );
    expect(JSON.parse(delivery.body)).toMatchObject({ id, first_name: 'Renamed' });
  });
});

describe('bulk operations', () => {
  const bulkQuery = `{
    orders {
      edges { node { id name createdAt
        lineItems { edges { node { id quantity sku } } }
      } }
    }
  }`;
  const run = `mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } } }`;
  const poll = `query($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl } } }`;

  it('runs an export to JSONL with children after their parent, by __parentId', async () => {
    const accessToken = await token();
    const started = await gql(accessToken, run, { query: bulkQuery });
    const bulkOperation = get(started.body.data, 'bulkOperationRunQuery', 'bulkOperation');
    const userErrors = get(started.body.data, 'bulkOperationRunQuery', 'userErrors');
    expect(userErrors).toEqual([]);
    expect(bulkOperation).toEqual({
      id: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\/\d+$/),
      status: 'CREATED',
    });
    const busy = await gql(accessToken, run, { query: bulkQuery });
    expect(get(busy.body.data, 'bulkOperationRunQuery', 'userErrors')).toEqual([
      {
        field: ['query'],
        message: `A bulk query operation for this app and shop is already in progress: ${String(get(bulkOperation, 'id'))}.`,
        code: 'OPERATION_IN_PROGRESS',
      },
    ]);

    let operation: Json = null;
    for (let i = 0; i < 100; i++) {
      operation = get((await gql(accessToken, poll, { id: get(bulkOperation, 'id') })).body.data, 'node');
      if (get(operation, 'status') === 'COMPLETED') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(operation).toMatchObject({
      status: 'COMPLETED',
      errorCode: null,
      rootObjectCount: '1200',
      partialDataUrl: null,
    });
    const current = await gql(accessToken, '{ currentBulkOperation { id status url } }');
    expect(get(current.body.data, 'currentBulkOperation')).toEqual({
      id: get(bulkOperation, 'id'),
      status: 'COMPLETED',
      url: get(operation, 'url'),
    });

    const file = await fetch(String(get(operation, 'url')));
    const text = await file.text();
    expect(String(text.length)).toBe(get(operation, 'fileSize'));
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, Json>);
    expect(String(lines.length)).toBe(get(operation, 'objectCount'));
    let parent: string | null = null;
    let orders = 0;
    for (const line of lines) {
      if (line.__parentId === undefined) {
        expect(line.id).toMatch(/^gid:\/\/shopify\/Order\//);
        expect(line).not.toHaveProperty('lineItems');
        parent = String(line.id);
        orders += 1;
      } else {
        expect(line.id).toMatch(/^gid:\/\/shopify\/LineItem\//);
        expect(line.__parentId).toBe(parent);
      }
    }
    expect(orders).toBe(1200);
  });

  it("moves the updated_at Shopify moves: a stock change only its level's, a new tracking number its fulfilment's and order's", async () => {
    const accessToken = await token();
    const changes = `shops/${DEMO_SHOP_DOMAIN}/changes`;
    const since = new Date(Date.now() - 1000).toISOString();
    const after = `updated_at:>'${since}'`;
    const exportOf = async (query: string) => {
      const started = await gql(accessToken, run, { query });
      const id = get(started.body.data, 'bulkOperationRunQuery', 'bulkOperation', 'id');
      for (let i = 0; i < 100; i++) {
        const operation = get((await gql(accessToken, poll, { id })).body.data, 'node');
        if (get(operation, 'status') === 'COMPLETED') {
          const url = get(operation, 'url');
          if (url === null) return [];
          const text = await (await fetch(String(url))).text();
          return text
            .trimEnd()
            .split('\n')
            .map((line) => JSON.parse(line) as Record<string, Json>);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the export did not finish');
    };
    const levels = `{ locations(includeInactive: true) { edges { node { id
      inventoryLevels(query: "${after}") { edges { node { id updatedAt quantities(names: ["available"]) { name quantity } } } }
    } } } }`;
    // Nothing changed yet: both locations, no level.
    expect((await exportOf(levels)).map((line) => line.__parentId === undefined)).toEqual([true, true]);

    // A stock change at the store: only that level is newer; its product is not.
    const item = 830_000_000_000 + 4;
    await control(changes, 'POST', {
      kind: 'inventory_level',
      id: item,
      location_id: 76_000_000_002,
      patch: { available: 5 },
      send: false,
    });
    const changedLevels = (await exportOf(levels)).filter((line) => line.__parentId !== undefined);
    expect(changedLevels).toEqual([
      {
        id: `gid://shopify/InventoryLevel/76000000002?inventory_item_id=${item}`,
        updatedAt: expect.any(String),
        quantities: [{ name: 'available', quantity: 5 }],
        __parentId: 'gid://shopify/Location/76000000002',
      },
    ]);
    const products = `query($q: String) { products(first: 5, query: $q) { nodes { id } } }`;
    expect(get((await gql(accessToken, products, { q: after })).body.data, 'products', 'nodes')).toEqual([]);
    // A variant's price moves its product.
    await control(changes, 'POST', { kind: 'variant', id: 820_000_000_000 + 4, patch: { price: '9.99' }, send: false });
    expect(get((await gql(accessToken, products, { q: after })).body.data, 'products', 'nodes')).toEqual([
      { id: 'gid://shopify/Product/810000000001' },
    ]);

    // A new tracking number on an order's fulfilment: the order and the fulfilment are newer (the
    // fulfilment was created long before), its fulfillment order is not.
    const orders = `query($q: String, $f: String) { orders(first: 50, query: $q) { nodes { legacyResourceId
      fulfillments(query: $f) { id createdAt trackingInfo { number } } } } }`;
    const shipped = list(get((await gql(accessToken, orders, {})).body.data, 'orders', 'nodes')).find(
      (order) => list(get(order, 'fulfillments')).length > 0,
    );
    const orderId = Number(get(shipped as Json, 'legacyResourceId'));
    await control(changes, 'POST', { kind: 'order', id: orderId, patch: { trackingNumber: '1ZTRACKED' }, send: false });
    const changedOrders = list(
      get(
        (await gql(accessToken, orders, { q: after, f: `created_at:<='${since}' ${after}` })).body.data,
        'orders',
        'nodes',
      ),
    );
    expect(changedOrders.map((order) => get(order, 'legacyResourceId'))).toEqual([String(orderId)]);
    expect(get(changedOrders[0], 'fulfillments', 0, 'trackingInfo')).toEqual([{ number: '1ZTRACKED' }]);
    const fulfillmentOrders = await exportOf(
      `{ fulfillmentOrders(includeClosed: true, query: "${after}") { edges { node { id } } } }`,
    );
    expect(fulfillmentOrders).toEqual([]);

    // Bad changes are refused, and change nothing.
    for (const bad of [
      { kind: 'variant', id: 1, patch: { price: '1.00' } },
      { kind: 'inventory_level', id: item, location_id: 76_000_000_002, patch: { available: 'many' } },
      { kind: 'inventory_level', id: item, location_id: 99, patch: { available: 1 } },
      { kind: 'inventory_level', id: 1, patch: { available: 1 } },
    ]) {
      const response = await fetch(`${config.shopifyUrl}/_emulator/${changes}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...bad, send: false }),
      });
      expect(response.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await exportOf(levels)).filter((line) => line.__parentId !== undefined)).toEqual(changedLevels);
  });

  it('refuses a bulk query without a connection', async () => {
    const accessToken = await token();
    const refused = await gql(accessToken, run, { query: '{ shop { name } }' });
    expect(get(refused.body.data, 'bulkOperationRunQuery')).toEqual({
      bulkOperation: null,
      userErrors: [
        { field: ['query'], message: 'Bulk queries must contain at least one connection.', code: 'INVALID' },
      ],
    });
  });
});

describe('ECB reference rates', () => {
  it('serves the daily and history files in the ECB layout, working days only', async () => {
    const daily = await (await fetch(`${config.shopifyUrl}/ecb/eurofxref-daily.xml`)).text();
    expect(daily).toContain('<gesmes:name>European Central Bank</gesmes:name>');
    expect(daily.match(/<Cube time='(\d{4}-\d{2}-\d{2})'>/g)).toHaveLength(1);
    expect(daily).toMatch(/<Cube currency='USD' rate='\d+\.\d{4}'\/>/);
    const history = await (await fetch(`${config.shopifyUrl}/ecb/eurofxref-hist.xml`)).text();
    const days = [...history.matchAll(/<Cube time='(\d{4}-\d{2}-\d{2})'>/g)].map((match) => match[1]);
    expect(days.length).toBeGreaterThan(500);
    for (const day of days) expect([0, 6]).not.toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
    expect([...days].sort().reverse()).toEqual(days);
  });
});
