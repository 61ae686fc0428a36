/**
 * The Shopify Admin API emulator (the mail catcher's counterpart for Shopify). A shop is
 * addressed as `<emulator>/store/<shop>.myshopify.com`, standing for `https://<shop>.myshopify.com`:
 *
 *   POST /store/:shop/admin/oauth/access_token          client credentials grant (24 h tokens)
 *   POST /store/:shop/admin/api/:version/graphql.json   GraphQL Admin API (X-Shopify-Access-Token)
 *   GET  /files/bulk/:id.jsonl                          a finished bulk operation's result
 *   GET  /ecb/eurofxref-daily.xml | eurofxref-hist.xml  ECB reference rates (local copy)
 *   GET  /feeds/sample.csv | sample.json | sample.xml   a sample affiliate product feed
 *
 * and a control API for tests and tools (never part of Shopify):
 *
 *   GET  /_emulator/shops/:shop                 the shop, its subscriptions and recent deliveries
 *   PUT  /_emulator/shops/:shop/size            { customers, products, orders } (regenerates data)
 *   PUT  /_emulator/shops/:shop/throttle        { maximumAvailable, restoreRate }
 *   PUT  /_emulator/shops/:shop/apps/:clientId  { clientSecret } the app's secret rotated in the Dev Dashboard
 *   POST /_emulator/shops/:shop/changes         { kind, id, patch, topic?, send? } change a record, send its webhook
 *                                               (kind order: patch may hold { cancelled: true },
 *                                               { refunded: true } or { trackingNumber } — fulfil it,
 *                                               or change its fulfilment's tracking; kind variant:
 *                                               id = variant, patch { price, … }; kind inventory_level:
 *                                               id = inventory item, location_id, patch { available })
 *   POST /_emulator/shops/:shop/webhooks        { topic, kind, id } send a record's webhook
 *                                               (kind location: locations/*; kind inventory_level:
 *                                               id = inventory item, location_id = where)
 *   POST /_emulator/shops                       { name?, size?, anchorMs? } a new shop (random domain) with its own apps
 *   POST /_emulator/clock                       { advanceSeconds } move the emulator's clock
 *   POST /_emulator/reset                       forget tokens, subscriptions, operations and changes
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Service, StackContext } from '../context.ts';
import { BodyTooLargeError, header, readBody, requestUrl, sendJson, sendText } from '../lib/http.ts';
import { DEMO_APPS, DEMO_SHOP_DOMAIN, type EmulatorApp, SUBSCRIBABLE_TOPICS, topicHeader } from './demo.ts';
import {
  argsOf,
  connectionResult,
  type Execution,
  ExecutionAbort,
  fieldsFor,
  type GraphError,
  pageOf,
  requestedCost,
  resolveObject,
  undefinedField,
} from './execute.ts';
import { type Field, GraphQLSyntaxError, parseOperation, type Selection } from './graphql.ts';
import {
  customerObject,
  customerPayload,
  DEMO_SIZE,
  fulfillmentOrderObject,
  fulfillmentOrderUpdatedMs,
  fulfillmentPayload,
  inventoryLevelPayload,
  locationObject,
  locationPayload,
  type GraphObject,
  orderObject,
  orderPayload,
  productObject,
  productPayload,
  refundPayload,
  ShopData,
  type ShopSize,
} from './shop-data.ts';
import { renderSampleFeedCsv, renderSampleFeedJson, renderSampleFeedXml } from './affiliate-feed.ts';
import { renderEcbDaily, renderEcbHistory } from './ecb.ts';
import { compare, parseSearch } from './search.ts';

const TOKEN_SECONDS = 86_399;
const SIXTY_DAYS_MS = 60 * 86_400_000;
const INVALID_TOKEN = '[API] Invalid API key or access token (unrecognized login or wrong password)';

interface TokenGrant {
  clientId: string;
  /** null: a legacy static token that never expires. */
  expiresAtMs: number | null;
}

interface Subscription {
  id: number;
  clientId: string;
  topic: string;
  uri: string;
  createdMs: number;
  updatedMs: number;
}

interface BulkOperation {
  id: number;
  clientId: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
  errorCode: string | null;
  query: string;
  createdMs: number;
  completedMs: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
}

interface Delivery {
  topic: string;
  uri: string;
  webhookId: string;
  status: number | string;
  atMs: number;
}

interface ShopState {
  domain: string;
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  anchorMs: number;
  size: ShopSize;
  apps: EmulatorApp[];
  tokens: Record<string, TokenGrant>;
  subscriptions: Subscription[];
  operations: BulkOperation[];
  throttle: { maximumAvailable: number; restoreRate: number };
  changes: Array<[string, { updatedMs: number; patch: Record<string, unknown> }]>;
}

interface EmulatorState {
  clockOffsetMs: number;
  nextId: number;
  shops: Record<string, ShopState>;
}

function freshState(): EmulatorState {
  return {
    clockOffsetMs: 0,
    nextId: 1_000_001,
    shops: {
      [DEMO_SHOP_DOMAIN]: {
        domain: DEMO_SHOP_DOMAIN,
        name: 'Cairn Demo Boutique',
        currencyCode: 'EUR',
        ianaTimezone: 'Europe/Madrid',
        anchorMs: Math.floor(Date.now() / 1000) * 1000,
        size: { ...DEMO_SIZE },
        apps: DEMO_APPS.map((app) => ({ ...app })),
        tokens: {},
        subscriptions: [],
        operations: [],
        // Shopify's Standard plan: 100 points/second; bucket of 1000 points.
        throttle: { maximumAvailable: 1000, restoreRate: 100 },
        changes: [],
      },
    },
  };
}

export interface ShopifyEmulator extends Service {
  url: string;
}

export async function startShopify(ctx: StackContext): Promise<ShopifyEmulator> {
  const { config, log } = ctx;
  const port = config.ports.shopify;
  const url = `http://127.0.0.1:${port}`;
  const dir = path.join(config.dataDir, 'shopify');
  const bulkDir = path.join(dir, 'bulk');
  mkdirSync(bulkDir, { recursive: true });
  const stateFile = path.join(dir, 'state.json');
  let state: EmulatorState = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as EmulatorState)
    : freshState();
  const save = () => writeFileSync(stateFile, JSON.stringify(state));
  const now = () => Date.now() + state.clockOffsetMs;
  const data = new Map<string, ShopData>();
  const buckets = new Map<string, { available: number; atMs: number }>();
  const deliveries: Delivery[] = [];
  const running = new Map<number, AbortController>();

  const shopData = (shop: ShopState) => {
    let found = data.get(shop.domain);
    if (!found) {
      found = new ShopData({
        domain: shop.domain,
        name: shop.name,
        email: `owner@${shop.domain}`,
        currencyCode: shop.currencyCode,
        ianaTimezone: shop.ianaTimezone,
        anchorMs: shop.anchorMs,
        size: shop.size,
      });
      for (const [key, change] of shop.changes) found.changes.set(key, change);
      data.set(shop.domain, found);
    }
    return found;
  };
  const nextId = () => {
    state.nextId += 1;
    return state.nextId;
  };

  // ── webhooks ──────────────────────────────────────────────────────────────────────────
  async function sendWebhook(shop: ShopState, topic: string, payload: unknown): Promise<Delivery[]> {
    const body = JSON.stringify(payload);
    const sent: Delivery[] = [];
    for (const subscription of shop.subscriptions.filter((s) => s.topic === topic)) {
      const app = shop.apps.find((a) => a.clientId === subscription.clientId);
      if (!app) continue;
      const webhookId = randomUUID();
      const delivery: Delivery = { topic, uri: subscription.uri, webhookId, status: 0, atMs: now() };
      try {
        const response = await fetch(subscription.uri, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Shopify-Topic': topicHeader(topic),
            'X-Shopify-Hmac-Sha256': createHmac('sha256', app.clientSecret).update(body).digest('base64'),
            'X-Shopify-Shop-Domain': shop.domain,
            'X-Shopify-API-Version': '2025-07',
            'X-Shopify-Webhook-Id': webhookId,
            'X-Shopify-Event-Id': randomUUID(),
            'X-Shopify-Triggered-At': new Date(now()).toISOString(),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        delivery.status = response.status;
      } catch (error) {
        delivery.status = error instanceof Error ? error.message : String(error);
      }
      deliveries.push(delivery);
      if (deliveries.length > 200) deliveries.shift();
      sent.push(delivery);
    }
    return sent;
  }

  function recordPayload(
    shop: ShopState,
    kind: string,
    id: number,
    topic?: string,
    locationId?: number,
  ): { payload: unknown } | null {
    const shopRecords = shopData(shop);
    if (kind === 'location') {
      const payload = locationPayload(shopRecords, id);
      return payload ? { payload } : null;
    }
    if (topic === 'INVENTORY_LEVELS_UPDATE' && kind === 'inventory_level') {
      // `id` is the inventory item; the stock is at the demo warehouse (`location_id` picks another).
      const payload = inventoryLevelPayload(shopRecords, id, locationId ?? 76_000_000_001);
      return payload ? { payload } : null;
    }
    if (kind !== 'customer' && kind !== 'product' && kind !== 'order') return null;
    const index = shopRecords.indexOf(kind, id);
    if (index < 0) return null;
    if (kind === 'customer') return { payload: customerPayload(shopRecords.customer(index)) };
    if (kind === 'product') return { payload: productPayload(shopRecords.product(index)) };
    if (topic === 'REFUNDS_CREATE') return { payload: refundPayload(shopRecords.order(index)) };
    if (topic === 'FULFILLMENTS_CREATE' || topic === 'FULFILLMENTS_UPDATE') {
      const payload = fulfillmentPayload(shopRecords.order(index));
      return payload ? { payload } : null;
    }
    return { payload: orderPayload(shopRecords.order(index)) };
  }

  // ── authentication ────────────────────────────────────────────────────────────────────
  function grant(shop: ShopState, body: Record<string, unknown>): { status: number; body: unknown } {
    if (body.grant_type !== 'client_credentials')
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported.' },
      };
    const app = shop.apps.find((a) => a.clientId === body.client_id && !a.legacyToken);
    if (!app || typeof body.client_secret !== 'string' || body.client_secret !== app.clientSecret)
      return {
        status: 400,
        body: { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client.' },
      };
    const token = `shpat_${randomBytes(16).toString('hex')}`;
    shop.tokens[token] = { clientId: app.clientId, expiresAtMs: now() + TOKEN_SECONDS * 1000 };
    // Forget expired tokens so the state file stays small.
    shop.tokens = Object.fromEntries(
      Object.entries(shop.tokens).filter(([, value]) => value.expiresAtMs === null || value.expiresAtMs >= now()),
    );
    save();
    return { status: 200, body: { access_token: token, scope: app.scopes.join(','), expires_in: TOKEN_SECONDS } };
  }

  function appFor(shop: ShopState, token: string | undefined): EmulatorApp | null {
    if (!token) return null;
    const legacy = shop.apps.find((a) => a.legacyToken && a.legacyToken === token);
    if (legacy) return legacy;
    const found = shop.tokens[token];
    if (!found || (found.expiresAtMs !== null && found.expiresAtMs <= now())) return null;
    return shop.apps.find((a) => a.clientId === found.clientId) ?? null;
  }

  // ── throttle ──────────────────────────────────────────────────────────────────────────
  function bucket(shop: ShopState, app: EmulatorApp) {
    const key = `${shop.domain} ${app.clientId}`;
    const { maximumAvailable, restoreRate } = shop.throttle;
    const found = buckets.get(key) ?? { available: maximumAvailable, atMs: now() };
    found.available = Math.min(maximumAvailable, found.available + ((now() - found.atMs) / 1000) * restoreRate);
    found.atMs = now();
    buckets.set(key, found);
    return found;
  }

  // ── GraphQL objects for the root fields ─────────────────────────────────────────────
  const gidNumber = (gid: unknown, type: string): number | null => {
    const match = typeof gid === 'string' ? new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid) : null;
    return match ? Number(match[1]) : null;
  };

  function subscriptionObject(s: Subscription): GraphObject {
    return {
      __typename: 'WebhookSubscription',
      id: `gid://shopify/WebhookSubscription/${s.id}`,
      legacyResourceId: String(s.id),
      topic: s.topic,
      uri: s.uri,
      callbackUrl: s.uri,
      endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.uri },
      format: 'JSON',
      includeFields: [],
      metafieldNamespaces: [],
      filter: null,
      apiVersion: { __typename: 'ApiVersion', handle: '2025-07', displayName: '2025-07', supported: true },
      createdAt: new Date(s.createdMs).toISOString().replace('.000Z', 'Z'),
      updatedAt: new Date(s.updatedMs).toISOString().replace('.000Z', 'Z'),
    };
  }

  function operationObject(op: BulkOperation): GraphObject {
    const done = op.status === 'COMPLETED';
    return {
      __typename: 'BulkOperation',
      id: `gid://shopify/BulkOperation/${op.id}`,
      status: op.status,
      errorCode: op.errorCode,
      createdAt: new Date(op.createdMs).toISOString().replace('.000Z', 'Z'),
      completedAt: op.completedMs === null ? null : new Date(op.completedMs).toISOString().replace('.000Z', 'Z'),
      objectCount: String(op.objectCount),
      rootObjectCount: String(op.rootObjectCount),
      fileSize: done && op.fileSize !== null ? String(op.fileSize) : null,
      url: done && op.objectCount > 0 ? `${url}/files/bulk/${op.id}.jsonl` : null,
      partialDataUrl: op.status === 'FAILED' && op.objectCount > 0 ? `${url}/files/bulk/${op.id}.jsonl` : null,
      query: op.query,
      type: 'QUERY',
    };
  }

  /** The records a root connection lists for this app: the 60-day window, the `query` filter. */
  function rootList(
    shop: ShopState,
    app: EmulatorApp,
    root: 'customers' | 'products' | 'orders' | 'fulfillmentOrders' | 'locations',
    search: unknown,
  ): { count: number; record: (position: number) => GraphObject } {
    const records = shopData(shop);
    if (root === 'locations') {
      // Two locations, changed long ago: a reconciliation's updated_at filter leaves them out.
      const all = [0, 1].map((index) => locationObject(records, index));
      const kept = all.filter((location) =>
        parseSearch(search).every((f) =>
          compare(Date.parse(String(location[f.field === 'updated_at' ? 'updatedAt' : 'createdAt'])), f.op, f.value),
        ),
      );
      return { count: kept.length, record: (position) => kept[position] };
    }
    // Every order has one fulfillment order (with includeClosed: true, as Cairn asks).
    const kind = root === 'fulfillmentOrders' ? 'orders' : root;
    const total = shop.size[kind];
    const object = (index: number) =>
      root === 'customers'
        ? customerObject(records.customer(index))
        : root === 'products'
          ? productObject(records.product(index))
          : root === 'fulfillmentOrders'
            ? fulfillmentOrderObject(records.order(index))
            : orderObject(records.order(index));
    let low = 0;
    if (kind === 'orders' && !app.scopes.includes('read_all_orders')) {
      // Orders are generated oldest first: find the first one inside the window.
      const since = now() - SIXTY_DAYS_MS;
      let high = total;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (records.order(mid).createdMs < since) low = mid + 1;
        else high = mid;
      }
    }
    const filters = parseSearch(search);
    if (filters.length === 0) return { count: total - low, record: (position) => object(low + position) };
    const matching: number[] = [];
    for (let index = low; index < total; index++) {
      const record =
        kind === 'customers'
          ? records.customer(index)
          : kind === 'products'
            ? records.product(index)
            : records.order(index);
      const updatedMs =
        root === 'fulfillmentOrders' && 'lines' in record ? fulfillmentOrderUpdatedMs(record) : record.updatedMs;
      const values: Record<string, number> = { updated_at: updatedMs, created_at: record.createdMs };
      if (filters.every((f) => compare(values[f.field], f.op, f.value))) matching.push(index);
    }
    return { count: matching.length, record: (position) => object(matching[position]) };
  }

  function rootField(shop: ShopState, app: EmulatorApp, field: Field, run: Execution, mutation: boolean): unknown {
    const args = argsOf(field, run.variables);
    const at = [field.alias];
    const needs = (scope: string, what: string) => {
      if (!app.scopes.includes(scope))
        throw new ExecutionAbort([
          {
            message: `Access denied for ${what} field. Required access: \`${scope}\` access scope.`,
            locations: [field.location],
            path: at,
            extensions: {
              code: 'ACCESS_DENIED',
              documentation: 'https://shopify.dev/api/usage/access-scopes',
              requiredAccess: `\`${scope}\` access scope.`,
            },
          },
        ]);
    };
    const object = (value: GraphObject | null) =>
      value === null ? null : resolveObject(value, field.selections, run, at);
    if (!mutation) {
      switch (field.name) {
        case '__typename':
          return 'QueryRoot';
        case 'shop':
          return object({
            __typename: 'Shop',
            id: 'gid://shopify/Shop/1',
            name: shop.name,
            email: `owner@${shop.domain}`,
            myshopifyDomain: shop.domain,
            currencyCode: shop.currencyCode,
            ianaTimezone: shop.ianaTimezone,
            timezoneAbbreviation: 'CET',
            primaryDomain: { __typename: 'Domain', host: shop.domain, url: `https://${shop.domain}` },
            plan: { __typename: 'ShopPlan', displayName: 'Basic', partnerDevelopment: false, shopifyPlus: false },
          });
        case 'customers':
        case 'products':
        case 'orders': {
          needs(`read_${field.name}`, field.name);
          const list = rootList(shop, app, field.name, args.query);
          const { start, end } = pageOf(list.count, field, run, at);
          return connectionResult(
            list.count,
            start,
            end,
            list.record,
            field.name.slice(0, -1).replace(/^./, (c) => c.toUpperCase()),
            field,
            run,
            at,
          );
        }
        case 'webhookSubscriptions': {
          const topics = Array.isArray(args.topics) ? (args.topics as string[]) : null;
          const mine = shop.subscriptions.filter(
            (s) =>
              s.clientId === app.clientId && (!topics || topics.includes(s.topic)) && (!args.uri || s.uri === args.uri),
          );
          const { start, end } = pageOf(mine.length, field, run, at);
          return connectionResult(
            mine.length,
            start,
            end,
            (i) => subscriptionObject(mine[i]),
            'WebhookSubscription',
            field,
            run,
            at,
          );
        }
        case 'currentBulkOperation': {
          const mine = shop.operations.filter((op) => op.clientId === app.clientId);
          return object(mine.length ? operationObject(mine[mine.length - 1]) : null);
        }
        case 'bulkOperation':
        case 'node': {
          const id = args.id;
          const op = shop.operations.find(
            (o) => o.clientId === app.clientId && o.id === gidNumber(id, 'BulkOperation'),
          );
          if (op) return object(operationObject(op));
          const sub = shop.subscriptions.find(
            (s) => s.clientId === app.clientId && s.id === gidNumber(id, 'WebhookSubscription'),
          );
          if (sub && field.name === 'node') return object(subscriptionObject(sub));
          const records = shopData(shop);
          for (const [type, kind] of [
            ['Customer', 'customer'],
            ['Product', 'product'],
            ['Order', 'order'],
          ] as const) {
            const number = gidNumber(id, type);
            const index = number === null ? -1 : records.indexOf(kind, number);
            if (index >= 0 && field.name === 'node')
              return object(
                kind === 'customer'
                  ? customerObject(records.customer(index))
                  : kind === 'product'
                    ? productObject(records.product(index))
                    : orderObject(records.order(index)),
              );
          }
          return null;
        }
        default:
          throw new ExecutionAbort([undefinedField(field, 'QueryRoot', at)]);
      }
    }
    switch (field.name) {
      case 'webhookSubscriptionCreate': {
        const topic = args.topic;
        if (typeof topic !== 'string' || !SUBSCRIBABLE_TOPICS.has(topic))
          throw new ExecutionAbort([
            {
              message: `Argument 'topic' on Field 'webhookSubscriptionCreate' has an invalid value (${String(topic)}). Expected type 'WebhookSubscriptionTopic!'.`,
              locations: [field.location],
              path: at,
              extensions: {
                code: 'argumentLiteralsIncompatible',
                typeName: 'Field',
                argumentName: 'topic',
              },
            },
          ]);
        const input = (args.webhookSubscription ?? {}) as Record<string, unknown>;
        const uri = (input.uri ?? input.callbackUrl) as unknown;
        const userErrors: Array<{ field: string[]; message: string }> = [];
        let created: Subscription | null = null;
        if (typeof uri !== 'string' || uri.trim() === '')
          userErrors.push({ field: ['webhookSubscription', 'callbackUrl'], message: "Address can't be blank" });
        else if (!validCallback(uri))
          userErrors.push({ field: ['webhookSubscription', 'callbackUrl'], message: 'Address is invalid' });
        else if (shop.subscriptions.some((s) => s.clientId === app.clientId && s.topic === topic && s.uri === uri))
          userErrors.push({
            field: ['webhookSubscription', 'callbackUrl'],
            message: 'Address for this topic has already been taken',
          });
        else {
          created = { id: nextId(), clientId: app.clientId, topic, uri, createdMs: now(), updatedMs: now() };
          shop.subscriptions.push(created);
          save();
        }
        return object({
          __typename: 'WebhookSubscriptionCreatePayload',
          webhookSubscription: created ? subscriptionObject(created) : null,
          userErrors: userErrors.map((e) => ({ __typename: 'UserError', ...e })),
        });
      }
      case 'webhookSubscriptionDelete': {
        const number = gidNumber(args.id, 'WebhookSubscription');
        const index = shop.subscriptions.findIndex((s) => s.clientId === app.clientId && s.id === number);
        if (index >= 0) {
          shop.subscriptions.splice(index, 1);
          save();
        }
        return object({
          __typename: 'WebhookSubscriptionDeletePayload',
          deletedWebhookSubscriptionId: index >= 0 ? (args.id as string) : null,
          userErrors:
            index >= 0
              ? []
              : [{ __typename: 'UserError', field: ['id'], message: 'Webhook subscription does not exist' }],
        });
      }
      case 'bulkOperationRunQuery': {
        const query = typeof args.query === 'string' ? args.query : '';
        const userError = (message: string, code = 'INVALID') => ({
          __typename: 'BulkOperationUserError',
          field: ['query'],
          message,
          code,
        });
        const current = shop.operations.find(
          (op) => op.clientId === app.clientId && (op.status === 'CREATED' || op.status === 'RUNNING'),
        );
        if (current)
          return object({
            __typename: 'BulkOperationRunQueryPayload',
            bulkOperation: null,
            userErrors: [
              userError(
                `A bulk query operation for this app and shop is already in progress: gid://shopify/BulkOperation/${current.id}.`,
                'OPERATION_IN_PROGRESS',
              ),
            ],
          });
        const plan = planBulk(query);
        if ('error' in plan)
          return object({
            __typename: 'BulkOperationRunQueryPayload',
            bulkOperation: null,
            userErrors: [userError(plan.error)],
          });
        if (!app.scopes.includes(BULK_SCOPES[plan.root.name]))
          return object({
            __typename: 'BulkOperationRunQueryPayload',
            bulkOperation: null,
            userErrors: [userError(`Access denied for ${plan.root.name} field.`)],
          });
        const op: BulkOperation = {
          id: nextId(),
          clientId: app.clientId,
          status: 'CREATED',
          errorCode: null,
          query,
          createdMs: now(),
          completedMs: null,
          objectCount: 0,
          rootObjectCount: 0,
          fileSize: null,
        };
        shop.operations.push(op);
        if (shop.operations.length > 20) shop.operations.shift();
        save();
        setImmediate(() => void runBulk(shop, app, op, plan.root));
        return object({
          __typename: 'BulkOperationRunQueryPayload',
          bulkOperation: operationObject(op),
          userErrors: [],
        });
      }
      case 'bulkOperationCancel': {
        const op = shop.operations.find(
          (o) => o.clientId === app.clientId && o.id === gidNumber(args.id, 'BulkOperation'),
        );
        const userErrors: unknown[] = [];
        if (!op) userErrors.push({ __typename: 'UserError', field: ['id'], message: 'Bulk operation does not exist' });
        else if (op.status !== 'CREATED' && op.status !== 'RUNNING')
          userErrors.push({
            __typename: 'UserError',
            field: null,
            message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`,
          });
        else {
          op.status = 'CANCELING';
          running.get(op.id)?.abort();
        }
        return object({
          __typename: 'BulkOperationCancelPayload',
          bulkOperation: op ? operationObject(op) : null,
          userErrors: userErrors as GraphObject[],
        });
      }
      default:
        throw new ExecutionAbort([undefinedField(field, 'Mutation', at)]);
    }
  }

  // ── bulk operations ─────────────────────────────────────────────────────────────────
  async function runBulk(shop: ShopState, app: EmulatorApp, op: BulkOperation, root: Field): Promise<void> {
    const abort = new AbortController();
    running.set(op.id, abort);
    const file = path.join(bulkDir, `${op.id}.jsonl`);
    const out = createWriteStream(file);
    const write = (line: string) =>
      out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
    op.status = 'RUNNING';
    try {
      const list = rootList(
        shop,
        app,
        root.name as 'customers' | 'products' | 'orders' | 'fulfillmentOrders' | 'locations',
        argsOf(root, {}).query,
      );
      const nodeSelections = connectionNodeSelections(root.selections);
      const run: Execution = { variables: {}, cost: 0, errors: [] };
      let buffer = '';
      for (let position = 0; position < list.count; position++) {
        if (abort.signal.aborted) break;
        const node = list.record(position);
        for (const line of bulkLines(node, nodeSelections, run, null)) {
          buffer += `${JSON.stringify(line)}\n`;
          op.objectCount += 1;
        }
        op.rootObjectCount += 1;
        if (buffer.length > 256 * 1024) {
          await write(buffer);
          buffer = '';
          // Let the server answer polls while a large export runs.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (buffer) await write(buffer);
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      if (abort.signal.aborted) op.status = 'CANCELED';
      else {
        op.status = 'COMPLETED';
        op.completedMs = now();
        op.fileSize = statSync(file).size;
      }
    } catch (error) {
      log.error(`bulk operation ${op.id} failed`, error);
      out.destroy();
      op.status = 'FAILED';
      op.errorCode = 'INTERNAL_SERVER_ERROR';
    } finally {
      running.delete(op.id);
      save();
    }
    if (op.status === 'COMPLETED' || op.status === 'FAILED')
      void sendWebhook(shop, 'BULK_OPERATIONS_FINISH', {
        admin_graphql_api_id: `gid://shopify/BulkOperation/${op.id}`,
        completed_at: op.completedMs === null ? null : new Date(op.completedMs).toISOString(),
        created_at: new Date(op.createdMs).toISOString(),
        error_code: op.errorCode,
        status: op.status.toLowerCase(),
        type: 'query',
      });
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────────────────
  async function graphql(shop: ShopState, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const app = appFor(shop, header(req, 'x-shopify-access-token'));
    if (!app) return sendJson(res, 401, { errors: INVALID_TOKEN });
    const raw = await readBody(req, 1024 * 1024);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      const text = raw.toString('utf8');
      body = (header(req, 'content-type') ?? '').includes('application/graphql') ? { query: text } : JSON.parse(text);
    } catch {
      return sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
    }
    if (typeof body?.query !== 'string' || body.query.trim() === '')
      return sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
    const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<
      string,
      unknown
    >;
    let operation;
    try {
      operation = parseOperation(body.query, typeof body.operationName === 'string' ? body.operationName : null);
    } catch (error) {
      if (error instanceof GraphQLSyntaxError)
        return sendJson(res, 200, { errors: [{ message: error.message, locations: [error.location] }] });
      throw error;
    }
    const mutation = operation.type === 'mutation';
    const requested = requestedCost(operation.selections, variables, mutation);
    const level = bucket(shop, app);
    const throttleStatus = () => ({
      maximumAvailable: shop.throttle.maximumAvailable,
      currentlyAvailable: Math.floor(level.available),
      restoreRate: shop.throttle.restoreRate,
    });
    if (requested > shop.throttle.maximumAvailable)
      return sendJson(res, 200, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${shop.throttle.maximumAvailable}).

See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the
cost of a query is calculated.

To query larger amounts of data with fewer limits, bulk operations should be used instead.
See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.
`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: shop.throttle.maximumAvailable },
          },
        ],
      });
    if (requested > level.available)
      return sendJson(res, 200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() },
        },
      });
    const run: Execution = { variables, cost: 0, errors: [] };
    const data: Record<string, unknown> = {};
    try {
      for (const field of fieldsFor(operation.selections, mutation ? 'Mutation' : 'QueryRoot'))
        data[field.alias] = rootField(shop, app, field, run, mutation);
    } catch (error) {
      if (!(error instanceof ExecutionAbort)) throw error;
      return sendJson(res, 200, { errors: error.errors satisfies GraphError[] });
    }
    const actual = Math.min(requested, mutation ? 10 * operation.selections.length : run.cost);
    level.available -= actual;
    sendJson(res, 200, {
      data,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() },
      },
    });
  }

  async function control(parts: string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = async () => {
      const text = (await readBody(req, 1024 * 1024)).toString('utf8');
      return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    };
    if (req.method === 'POST' && parts[0] === 'reset') {
      for (const controller of running.values()) controller.abort();
      state = freshState();
      data.clear();
      buckets.clear();
      deliveries.length = 0;
      rmSync(bulkDir, { recursive: true, force: true });
      mkdirSync(bulkDir, { recursive: true });
      save();
      return sendJson(res, 200, { reset: true });
    }
    if (req.method === 'POST' && parts[0] === 'clock') {
      const body = await read();
      state.clockOffsetMs += Number(body.advanceSeconds ?? 0) * 1000;
      save();
      return sendJson(res, 200, { now: new Date(now()).toISOString() });
    }
    if (req.method === 'POST' && parts[0] === 'shops' && parts.length === 1) {
      const body = await read();
      const label = `shop-${randomBytes(4).toString('hex')}`;
      const domain = `${label}.myshopify.com`;
      const apps: EmulatorApp[] = [
        { clientId: `${label}-client-id`, clientSecret: randomBytes(20).toString('hex'), scopes: DEMO_APPS[0].scopes },
        {
          clientId: `${label}-recent-client-id`,
          clientSecret: randomBytes(20).toString('hex'),
          scopes: DEMO_APPS[1].scopes,
        },
        {
          clientId: `${label}-legacy-api-key`,
          clientSecret: randomBytes(20).toString('hex'),
          scopes: DEMO_APPS[0].scopes,
          legacyToken: `shpat_${randomBytes(16).toString('hex')}`,
        },
      ];
      state.shops[domain] = {
        ...freshState().shops[DEMO_SHOP_DOMAIN],
        domain,
        name: typeof body.name === 'string' ? body.name : `Test shop ${label}`,
        size: { customers: 20, products: 5, orders: 60, ...(body.size as Partial<ShopSize> | undefined) },
        // Two shops with one anchor hold the same records (but their own customers' emails).
        anchorMs: typeof body.anchorMs === 'number' ? body.anchorMs : Math.floor(Date.now() / 1000) * 1000,
        apps,
      };
      save();
      return sendJson(res, 200, { domain, apps });
    }
    const shop = parts[0] === 'shops' ? state.shops[parts[1] ?? ''] : undefined;
    if (!shop) return sendJson(res, 404, { error: 'unknown shop' });
    const action = parts[2];
    if (req.method === 'GET' && !action)
      return sendJson(res, 200, {
        domain: shop.domain,
        size: shop.size,
        now: new Date(now()).toISOString(),
        subscriptions: shop.subscriptions,
        operations: shop.operations,
        deliveries: deliveries.filter((d) => shop.subscriptions.some((s) => s.uri === d.uri) || true).slice(-50),
      });
    if (req.method === 'PUT' && action === 'size') {
      const body = await read();
      for (const key of ['customers', 'products', 'orders'] as const) {
        const value = Number(body[key] ?? shop.size[key]);
        if (!Number.isInteger(value) || value < 1 || value > 10_000_000)
          return sendJson(res, 400, { error: `${key} must be an integer from 1 to 10000000` });
        shop.size[key] = value;
      }
      shop.changes = [];
      data.delete(shop.domain);
      save();
      return sendJson(res, 200, { size: shop.size });
    }
    if (req.method === 'PUT' && action === 'apps') {
      const app = shop.apps.find((a) => a.clientId === parts[3]);
      const body = await read();
      if (!app || typeof body.clientSecret !== 'string' || body.clientSecret.length < 16)
        return sendJson(res, 400, { error: 'unknown app, or clientSecret shorter than 16 characters' });
      app.clientSecret = body.clientSecret;
      save();
      return sendJson(res, 200, { clientId: app.clientId });
    }
    if (req.method === 'PUT' && action === 'throttle') {
      const body = await read();
      shop.throttle = {
        maximumAvailable: Number(body.maximumAvailable ?? shop.throttle.maximumAvailable),
        restoreRate: Number(body.restoreRate ?? shop.throttle.restoreRate),
      };
      buckets.clear();
      save();
      return sendJson(res, 200, shop.throttle);
    }
    if (req.method === 'POST' && (action === 'changes' || action === 'webhooks')) {
      const body = await read();
      const kind = String(body.kind ?? '');
      const id = Number(body.id);
      const records = shopData(shop);
      if (action === 'webhooks' && (kind === 'location' || kind === 'inventory_level')) {
        // A location's locations/* payload, or an inventory item's level (at `location_id`).
        const topic = typeof body.topic === 'string' ? body.topic : 'LOCATIONS_UPDATE';
        const locationId = typeof body.location_id === 'number' ? body.location_id : undefined;
        const payload = recordPayload(shop, kind, id, topic, locationId)?.payload;
        if (!payload) return sendJson(res, 400, { error: `no ${kind} ${id}` });
        const sent = body.send === false ? [] : await sendWebhook(shop, topic, payload);
        return sendJson(res, 200, { payload, deliveries: sent });
      }
      if (action === 'changes' && kind === 'variant') {
        // A variant's own fields (price, compareAtPrice, sku): its product's updated_at moves.
        if (!records.hasVariant(id)) return sendJson(res, 400, { error: `no variant ${id}` });
        records.changeVariant(id, (body.patch ?? {}) as Record<string, unknown>, now());
        shop.changes = [...records.changes.entries()];
        save();
        const productId = 810_000_000_000 + Math.floor((id - 820_000_000_000) / 3);
        const payload = recordPayload(shop, 'product', productId, 'PRODUCTS_UPDATE')?.payload;
        const sent = body.send === false ? [] : await sendWebhook(shop, 'PRODUCTS_UPDATE', payload);
        return sendJson(res, 200, { payload, deliveries: sent });
      }
      if (action === 'changes' && kind === 'inventory_level') {
        // `id` is the inventory item; `location_id` where (the warehouse by default); patch { available }.
        const locationId = typeof body.location_id === 'number' ? body.location_id : 76_000_000_001;
        const available = Number(((body.patch ?? {}) as Record<string, unknown>).available);
        if (
          !records.hasVariant(id, 'inventoryItem') ||
          !recordPayload(shop, kind, id, 'INVENTORY_LEVELS_UPDATE', locationId)
        )
          return sendJson(res, 400, { error: `no inventory item ${id} at location ${locationId}` });
        if (!Number.isInteger(available)) return sendJson(res, 400, { error: 'patch.available must be an integer' });
        records.changeLevel(id, locationId, available, now());
        shop.changes = [...records.changes.entries()];
        save();
        const payload = recordPayload(shop, kind, id, 'INVENTORY_LEVELS_UPDATE', locationId)?.payload;
        const sent = body.send === false ? [] : await sendWebhook(shop, 'INVENTORY_LEVELS_UPDATE', payload);
        return sendJson(res, 200, { payload, deliveries: sent });
      }
      if ((kind !== 'customer' && kind !== 'product' && kind !== 'order') || records.indexOf(kind, id) < 0)
        return sendJson(res, 400, { error: 'kind must be customer, product or order, and id one of its records' });
      if (action === 'changes') {
        const patch = (body.patch ?? {}) as Record<string, unknown>;
        records.change(kind, records.indexOf(kind, id), patch, now());
        shop.changes = [...records.changes.entries()];
        save();
      }
      const topic =
        typeof body.topic === 'string'
          ? body.topic
          : kind === 'customer'
            ? 'CUSTOMERS_UPDATE'
            : kind === 'product'
              ? 'PRODUCTS_UPDATE'
              : 'ORDERS_UPDATED';
      const payload = recordPayload(shop, kind, id, topic)?.payload;
      const sent = body.send === false ? [] : await sendWebhook(shop, topic, payload);
      return sendJson(res, 200, { payload, deliveries: sent });
    }
    sendJson(res, 404, { error: 'not found' });
  }

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const target = requestUrl(req);
    try {
      const store = /^\/store\/([^/]+)(\/admin\/.*)$/.exec(target.pathname);
      if (store) {
        const shop = state.shops[store[1].toLowerCase()];
        if (!shop) return sendText(res, 404, 'Sorry, this shop is currently unavailable.', 'text/html; charset=utf-8');
        const rest = store[2];
        if (rest === '/admin/oauth/access_token' && req.method === 'POST') {
          const raw = (await readBody(req, 64 * 1024)).toString('utf8');
          let body: Record<string, unknown>;
          try {
            body = (header(req, 'content-type') ?? '').includes('json')
              ? (JSON.parse(raw) as Record<string, unknown>)
              : Object.fromEntries(new URLSearchParams(raw));
          } catch {
            return sendJson(res, 400, {
              error: 'invalid_request',
              error_description: 'The request body is malformed.',
            });
          }
          const result = grant(shop, body ?? {});
          return sendJson(res, result.status, result.body);
        }
        if (/^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.test(rest) && req.method === 'POST')
          return await graphql(shop, req, res);
        return sendJson(res, 404, { errors: 'Not Found' });
      }
      const file = /^\/files\/bulk\/(\d+)\.jsonl$/.exec(target.pathname);
      if (file && req.method === 'GET') {
        const found = path.join(bulkDir, `${file[1]}.jsonl`);
        if (!existsSync(found)) return sendText(res, 404, 'Not Found');
        const size = statSync(found).size;
        // Byte ranges, as the storage behind Shopify's signed URLs serves them (`bytes=N-` / `bytes=N-M`).
        const range = /^bytes=(\d+)-(\d*)$/.exec(header(req, 'range') ?? '');
        if (range) {
          const start = Number(range[1]);
          const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
          if (start >= size || end < start) {
            res.writeHead(416, { 'content-range': `bytes */${size}` });
            return res.end();
          }
          res.writeHead(206, {
            'content-type': 'application/jsonl',
            'content-length': end - start + 1,
            'content-range': `bytes ${start}-${end}/${size}`,
            'accept-ranges': 'bytes',
          });
          createReadStream(found, { start, end }).pipe(res);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/jsonl', 'content-length': size, 'accept-ranges': 'bytes' });
        createReadStream(found).pipe(res);
        return;
      }
      if (req.method === 'GET' && target.pathname === '/ecb/eurofxref-daily.xml')
        return sendText(res, 200, renderEcbDaily(new Date(now())), 'text/xml');
      if (req.method === 'GET' && target.pathname === '/ecb/eurofxref-hist.xml')
        return sendText(res, 200, renderEcbHistory(new Date(now())), 'text/xml');
      if (req.method === 'GET' && target.pathname === '/feeds/sample.csv')
        return sendText(res, 200, renderSampleFeedCsv(new Date(now())), 'text/csv');
      if (req.method === 'GET' && target.pathname === '/feeds/sample.json')
        return sendText(res, 200, renderSampleFeedJson(new Date(now())), 'application/json');
      if (req.method === 'GET' && target.pathname === '/feeds/sample.xml')
        return sendText(res, 200, renderSampleFeedXml(new Date(now())), 'application/xml');
      if (target.pathname.startsWith('/_emulator/'))
        return await control(target.pathname.slice('/_emulator/'.length).split('/').map(decodeURIComponent), req, res);
      sendJson(res, 404, { errors: 'Not Found' });
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { errors: 'Request Entity Too Large' });
      if (error instanceof SyntaxError) return sendJson(res, 400, { error: 'body is not JSON' });
      log.error('request failed', error);
      if (!res.headersSent) sendJson(res, 500, { errors: 'Internal Server Error' });
    }
  };
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  save();
  log.info(`Shopify Admin API emulator on ${url} (shop ${url}/store/${DEMO_SHOP_DOMAIN})`);
  return {
    name: 'shopify',
    url,
    close: async () => {
      for (const controller of running.values()) controller.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────

/** Shopify wants https; the emulator also lets loopback http through, for the local stack. */
function validCallback(uri: string): boolean {
  try {
    const parsed = new URL(uri);
    if (parsed.protocol === 'https:') return true;
    return parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  } catch {
    return false;
  }
}

const CONNECTION_FIELDS = new Set([
  'customers',
  'products',
  'orders',
  'variants',
  'lineItems',
  'fulfillmentOrders',
  'fulfillments',
  'fulfillmentLineItems',
  'locations',
  'inventoryLevels',
]);
const BULK_ROOTS = ['customers', 'products', 'orders', 'fulfillmentOrders', 'locations'];
/** The scope a bulk export's root needs. */
const BULK_SCOPES: Record<string, string> = {
  customers: 'read_customers',
  products: 'read_products',
  orders: 'read_orders',
  fulfillmentOrders: 'read_merchant_managed_fulfillment_orders',
  locations: 'read_locations',
};

/** The selections of a connection's nodes (`edges { node { … } }` or `nodes { … }`). */
function connectionNodeSelections(selections: Selection[]): Selection[] {
  const out: Selection[] = [];
  for (const part of selections) {
    if (part.kind !== 'field') continue;
    if (part.name === 'nodes') out.push(...part.selections);
    if (part.name === 'edges')
      for (const edge of part.selections)
        if (edge.kind === 'field' && edge.name === 'node') out.push(...edge.selections);
  }
  return out;
}

/** A bulk query's root connection, or why it cannot run (the bulk rules Shopify states). */
function planBulk(query: string): { root: Field } | { error: string } {
  let operation;
  try {
    operation = parseOperation(query);
  } catch (error) {
    return { error: `Invalid bulk query: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (operation.type !== 'query') return { error: 'Bulk queries must be queries, not mutations.' };
  const roots = operation.selections.filter((s): s is Field => s.kind === 'field');
  const root = roots.find((field) => BULK_ROOTS.includes(field.name));
  if (!root) return { error: 'Bulk queries must contain at least one connection.' };
  if (roots.length > 1) return { error: 'Bulk queries must have exactly one top-level field.' };
  let connections = 1;
  let depthError = false;
  const walk = (selections: Selection[], depth: number) => {
    for (const part of connectionNodeSelections(selections).concat(selections.filter((s) => s.kind === 'inline'))) {
      if (part.kind === 'inline') {
        walk(part.selections, depth);
        continue;
      }
      if (CONNECTION_FIELDS.has(part.name)) {
        connections += 1;
        if (depth >= 2) depthError = true;
        walk(part.selections, depth + 1);
      }
    }
  };
  walk(root.selections, 1);
  if (connections > 5) return { error: 'Bulk queries cannot contain more than 5 connections.' };
  if (depthError) return { error: 'Bulk queries cannot contain connections with a nesting depth greater than 2.' };
  return { root };
}

/**
 * The JSONL lines of one node: the node without its connections, then each nested connection's
 * nodes as their own lines carrying `__parentId` (Shopify's bulk format; children follow the parent).
 */
function* bulkLines(
  node: GraphObject,
  selections: Selection[],
  run: Execution,
  parentId: string | null,
): Generator<Record<string, unknown>> {
  const own: Selection[] = [];
  const nested: Array<{ field: Field; value: unknown }> = [];
  for (const field of fieldsFor(selections, node.__typename)) {
    const raw = node[field.name];
    // A field with arguments (a connection's `query:`) is a function of them.
    const value = typeof raw === 'function' ? raw(argsOf(field, run.variables)) : raw;
    if (value && typeof value === 'object' && (value as { __connection?: boolean }).__connection)
      nested.push({ field, value });
    else own.push(field);
  }
  const line = resolveObject(node, own, run, []);
  if (parentId !== null) line.__parentId = parentId;
  yield line;
  for (const { field, value } of nested) {
    const connection = value as { count: number; node: (index: number) => GraphObject };
    const childSelections = connectionNodeSelections(field.selections);
    for (let i = 0; i < connection.count; i++)
      yield* bulkLines(connection.node(i), childSelections, run, node.id as string);
  }
}
