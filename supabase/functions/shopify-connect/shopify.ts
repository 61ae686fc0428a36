/**
 * A small client of Shopify's Admin API: the client credentials grant and GraphQL calls, with
 * the retries a long job needs — THROTTLED answers wait for the bucket to refill (from
 * `extensions.cost.throttleStatus`), 5xx and network failures back off — and Shopify's refusals
 * turned into errors a person understands.
 */
export const API_VERSION = '2025-07';

type Env = { get(name: string): string | undefined };

export type ShopifyFailure = 'unknown_shop' | 'bad_credentials' | 'bad_token' | 'access_denied' | 'upstream';

export class ShopifyError extends Error {
  constructor(
    readonly kind: ShopifyFailure,
    message: string,
  ) {
    super(message);
  }
}

/** `https://<shop>`, or the local emulator's address for it (SHOPIFY_ADMIN_ORIGIN, `{shop}` replaced). */
export function adminOrigin(domain: string, env: Env = Deno.env): string {
  return (env.get('SHOPIFY_ADMIN_ORIGIN') ?? 'https://{shop}').replace('{shop}', domain);
}

/** `name`, `name.myshopify.com` or `https://name.myshopify.com/…` → `name.myshopify.com`, else null. */
export function normalizeShopDomain(input: string): string | null {
  const trimmed = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  const domain = trimmed.endsWith('.myshopify.com') ? trimmed : `${trimmed}.myshopify.com`;
  return /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/.test(domain) ? domain : null;
}

export interface GrantedToken {
  accessToken: string;
  scopes: string[];
  expiresAt: Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(url: string, init: RequestInit, attempts = 4): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      if (response.status < 500 || attempt >= attempts) return response;
      await response.body?.cancel();
    } catch (error) {
      if (attempt >= attempts) throw new ShopifyError('upstream', `Shopify could not be reached: ${String(error)}`);
    }
    await sleep(250 * 2 ** attempt);
  }
}

/** POST /admin/oauth/access_token with grant_type=client_credentials (tokens last 24 hours). */
export async function clientCredentialsToken(
  origin: string,
  clientId: string,
  clientSecret: string,
  now = Date.now(),
): Promise<GrantedToken> {
  const response = await send(`${origin}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const text = await response.text();
  if (response.status === 404)
    throw new ShopifyError('unknown_shop', 'There is no Shopify store at this domain (or it is unavailable)');
  if (response.status === 400 || response.status === 401 || response.status === 403)
    throw new ShopifyError(
      'bad_credentials',
      'Shopify refused the client ID or client secret: check them in the Dev Dashboard, and that the app is installed on this store',
    );
  if (!response.ok) throw new ShopifyError('upstream', `Shopify answered ${response.status} to the token request`);
  let body: { access_token?: unknown; scope?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ShopifyError('upstream', 'Shopify answered the token request with something that is not JSON');
  }
  if (typeof body.access_token !== 'string')
    throw new ShopifyError('upstream', 'Shopify answered the token request without a token');
  const seconds = typeof body.expires_in === 'number' ? body.expires_in : 86_399;
  return {
    accessToken: body.access_token,
    scopes: typeof body.scope === 'string' ? body.scope.split(',').filter(Boolean) : [],
    expiresAt: new Date(now + seconds * 1000),
  };
}

interface GraphqlAnswer<T> {
  data?: T;
  errors?: unknown;
  extensions?: {
    cost?: {
      requestedQueryCost?: number;
      throttleStatus?: { currentlyAvailable?: number; restoreRate?: number };
    };
  };
}

const isThrottled = (errors: unknown) =>
  Array.isArray(errors) &&
  errors.some((e) => (e as { extensions?: { code?: string } })?.extensions?.code === 'THROTTLED');

/** One GraphQL Admin call; THROTTLED waits and retries (up to `attempts`), 401 is bad_token. */
export async function adminGraphql<T>(
  origin: string,
  accessToken: string,
  query: string,
  variables: Record<string, unknown> = {},
  attempts = 6,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const response = await send(`${origin}/admin/api/${API_VERSION}/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': accessToken },
      body: JSON.stringify({ query, variables }),
    });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ShopifyError('unknown_shop', 'There is no Shopify store at this domain (or it is unavailable)');
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new ShopifyError('bad_token', 'Shopify refused the access token (wrong, revoked or expired)');
    }
    if (!response.ok) throw new ShopifyError('upstream', `Shopify answered ${response.status}`);
    const answer = (await response.json()) as GraphqlAnswer<T>;
    if (isThrottled(answer.errors) && attempt < attempts) {
      const cost = answer.extensions?.cost;
      const missing = (cost?.requestedQueryCost ?? 50) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
      await sleep(Math.min(10_000, Math.max(100, (missing / (cost?.throttleStatus?.restoreRate ?? 50)) * 1000)));
      continue;
    }
    if (answer.errors) {
      const first = Array.isArray(answer.errors)
        ? (answer.errors[0] as { message?: string; extensions?: { code?: string } })
        : null;
      if (first?.extensions?.code === 'ACCESS_DENIED')
        throw new ShopifyError('access_denied', `Shopify denied access: ${first.message ?? 'a scope is missing'}`);
      throw new ShopifyError(
        'upstream',
        `Shopify answered an error: ${first?.message ?? JSON.stringify(answer.errors)}`,
      );
    }
    if (!answer.data) throw new ShopifyError('upstream', 'Shopify answered without data');
    return answer.data;
  }
}

export interface ShopFacts {
  name: string;
  currencyCode: string;
  ianaTimezone: string;
}

export async function shopFacts(origin: string, accessToken: string): Promise<ShopFacts> {
  const data = await adminGraphql<{ shop: ShopFacts }>(
    origin,
    accessToken,
    '{ shop { name currencyCode ianaTimezone } }',
  );
  return data.shop;
}

/** Topics Cairn subscribes to (the shopify-webhook function's, less the mandatory compliance topics). */
export const WEBHOOK_TOPICS = [
  'ORDERS_CREATE',
  'ORDERS_UPDATED',
  'ORDERS_PAID',
  'ORDERS_CANCELLED',
  'REFUNDS_CREATE',
  'CUSTOMERS_CREATE',
  'CUSTOMERS_UPDATE',
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
  'INVENTORY_LEVELS_UPDATE',
  'FULFILLMENTS_CREATE',
  'FULFILLMENTS_UPDATE',
  'LOCATIONS_CREATE',
  'LOCATIONS_UPDATE',
  'LOCATIONS_DELETE',
] as const;

interface Subscription {
  id: string;
  topic: string;
  uri: string;
}

export async function listSubscriptions(origin: string, accessToken: string): Promise<Subscription[]> {
  const out: Subscription[] = [];
  let after: string | null = null;
  for (;;) {
    const data: {
      webhookSubscriptions: { nodes: Subscription[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await adminGraphql(
      origin,
      accessToken,
      'query($after: String) { webhookSubscriptions(first: 100, after: $after) { nodes { id topic uri } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    out.push(...data.webhookSubscriptions.nodes);
    if (!data.webhookSubscriptions.pageInfo.hasNextPage) return out;
    after = data.webhookSubscriptions.pageInfo.endCursor;
  }
}

/** Registers every topic not yet pointing at `uri`; answers topic → subscription id for all of them. */
export async function ensureSubscriptions(
  origin: string,
  accessToken: string,
  uri: string,
): Promise<{ webhooks: Record<string, string>; failures: string[] }> {
  const existing = await listSubscriptions(origin, accessToken);
  const webhooks: Record<string, string> = {};
  const failures: string[] = [];
  for (const subscription of existing) if (subscription.uri === uri) webhooks[subscription.topic] = subscription.id;
  for (const topic of WEBHOOK_TOPICS) {
    if (webhooks[topic]) continue;
    const data = await adminGraphql<{
      webhookSubscriptionCreate: { webhookSubscription: { id: string } | null; userErrors: Array<{ message: string }> };
    }>(
      origin,
      accessToken,
      `mutation($topic: WebhookSubscriptionTopic!, $uri: URL!) {
        webhookSubscriptionCreate(topic: $topic, webhookSubscription: { callbackUrl: $uri, format: JSON }) {
          webhookSubscription { id } userErrors { field message }
        }
      }`,
      { topic, uri },
    );
    const created = data.webhookSubscriptionCreate;
    if (created.webhookSubscription) webhooks[topic] = created.webhookSubscription.id;
    else failures.push(`${topic}: ${created.userErrors.map((e) => e.message).join('; ')}`);
  }
  return { webhooks, failures };
}

/** Deletes every subscription pointing at `uri`. */
export async function removeSubscriptions(origin: string, accessToken: string, uri: string): Promise<number> {
  let removed = 0;
  for (const subscription of await listSubscriptions(origin, accessToken)) {
    if (subscription.uri !== uri) continue;
    await adminGraphql(
      origin,
      accessToken,
      'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } } }',
      { id: subscription.id },
    );
    removed += 1;
  }
  return removed;
}
