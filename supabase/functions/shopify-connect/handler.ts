/**
 * shopify-connect: an admin connects a Shopify store, repairs its webhooks, rotates its secret
 * or disconnects it; the schedule renews 24-hour tokens. Order of checks: CORS → POST → body →
 * who calls (the schedule's X-Cron-Secret for `renew`; otherwise a signed-in user the database
 * says may manage shops) → Shopify (credentials verified with the client credentials grant and
 * the shop query BEFORE anything is stored) → the database, through service-role functions that
 * re-check the acting user is an admin.
 */
import { z } from 'zod';
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { scheduledCaller } from '../_shared/scheduled-call.ts';
import {
  adminOrigin,
  clientCredentialsToken,
  ensureSubscriptions,
  normalizeShopDomain,
  removeSubscriptions,
  ShopifyError,
  shopFacts,
  WEBHOOK_TOPICS,
} from './shopify.ts';

type Env = { get(name: string): string | undefined };

export interface Credentials {
  domain: string;
  auth_kind: string;
  client_id: string | null;
  client_secret: string | null;
  access_token: string | null;
  token_expires_at: string | null;
}

/** The database, as the service-role functions of migration 20261207190000 offer it. */
export interface ConnectPorts {
  saveConnection(args: {
    actor: string;
    domain: string;
    shop_name: string;
    currency: string;
    timezone: string;
    auth_kind: 'client_credentials' | 'legacy_token';
    client_id: string | null;
    client_secret: string;
    access_token: string;
    token_expires_at: string | null;
    scopes: string[];
    webhook_url: string;
  }): Promise<string>;
  credentials(shopId: string): Promise<Credentials | null>;
  recordToken(shopId: string, accessToken: string, expiresAt: string): Promise<void>;
  recordTokenFailure(shopId: string, reason: string): Promise<void>;
  recordWebhooks(actor: string, shopId: string, webhooks: Record<string, string>): Promise<void>;
  rotateSecret(actor: string, shopId: string, clientSecret: string): Promise<void>;
  forget(actor: string, shopId: string): Promise<void>;
  tokensToRenew(): Promise<string[]>;
  /** Queues a history import (or answers the running one). */
  startImport(actor: string, shopId: string): Promise<string>;
}

export interface ConnectCaller {
  userId(): Promise<string | null>;
  mayManage(): Promise<boolean>;
}

export interface ConnectDeps {
  caller(authorization: string): ConnectCaller;
  ports: ConnectPorts;
  env: Env;
  log(message: string, error?: unknown): void;
}

const secret = z.string().trim().min(16, 'must be at least 16 characters').max(500);
const shopId = z.uuid();
const requestSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('connect'),
    domain: z.string().min(1).max(300),
    client_id: z.string().trim().min(1).max(200).optional(),
    client_secret: secret,
    access_token: z.string().trim().min(8).max(500).optional(),
  }),
  z.object({ action: z.literal('repair'), shop_id: shopId }),
  z.object({ action: z.literal('rotate'), shop_id: shopId, client_secret: secret }),
  z.object({ action: z.literal('disconnect'), shop_id: shopId }),
  z.object({ action: z.literal('import'), shop_id: shopId }),
  z.object({ action: z.literal('renew') }),
]);
type ConnectRequest = z.output<typeof requestSchema>;

/** Where Shopify sends webhooks: SHOPIFY_WEBHOOK_URL, else this project's shopify-webhook function. */
export function webhookUrl(env: Env): string {
  return env.get('SHOPIFY_WEBHOOK_URL') ?? `${env.get('SUPABASE_URL') ?? ''}/functions/v1/shopify-webhook`;
}

function shopifyFailure(error: ShopifyError): Response {
  switch (error.kind) {
    case 'unknown_shop':
    case 'bad_credentials':
    case 'bad_token':
    case 'access_denied':
      return fail('invalid_request', error.message);
    default:
      return fail('upstream_error', error.message);
  }
}

/** A usable token for a stored connection: the stored one, or a fresh grant when it ends within 2 hours. */
async function liveToken(ports: ConnectPorts, shop: string, creds: Credentials, env: Env): Promise<string> {
  const ending = creds.token_expires_at !== null && Date.parse(creds.token_expires_at) < Date.now() + 2 * 3_600_000;
  if (creds.auth_kind === 'client_credentials' && (ending || !creds.access_token)) {
    const granted = await clientCredentialsToken(
      adminOrigin(creds.domain, env),
      creds.client_id ?? '',
      creds.client_secret ?? '',
    );
    await ports.recordToken(shop, granted.accessToken, granted.expiresAt.toISOString());
    return granted.accessToken;
  }
  if (!creds.access_token) throw new ShopifyError('bad_token', 'No access token is stored for this shop');
  return creds.access_token;
}

async function connect(body: Extract<ConnectRequest, { action: 'connect' }>, actor: string, deps: ConnectDeps) {
  const domain = normalizeShopDomain(body.domain);
  if (!domain)
    return fail('invalid_request', 'domain: give the store’s myshopify.com domain, e.g. my-store.myshopify.com');
  const legacy = body.access_token !== undefined;
  if (legacy && !body.access_token?.startsWith('shpat_'))
    return fail('invalid_request', 'access_token: a legacy custom app’s Admin API token starts with shpat_');
  if (!legacy && !body.client_id) return fail('invalid_request', 'client_id: required (or give a legacy shpat_ token)');
  const origin = adminOrigin(domain, deps.env);
  // Verified against the shop before anything is stored.
  let accessToken: string;
  let expiresAt: string | null = null;
  let scopes: string[] = [];
  if (legacy) accessToken = body.access_token ?? '';
  else {
    const granted = await clientCredentialsToken(origin, body.client_id ?? '', body.client_secret);
    accessToken = granted.accessToken;
    expiresAt = granted.expiresAt.toISOString();
    scopes = granted.scopes;
  }
  const facts = await shopFacts(origin, accessToken);
  const uri = webhookUrl(deps.env);
  const shop = await deps.ports.saveConnection({
    actor,
    domain,
    shop_name: facts.name,
    currency: facts.currencyCode,
    timezone: facts.ianaTimezone,
    auth_kind: legacy ? 'legacy_token' : 'client_credentials',
    client_id: legacy ? null : (body.client_id ?? null),
    client_secret: body.client_secret,
    access_token: accessToken,
    token_expires_at: expiresAt,
    scopes,
    webhook_url: uri,
  });
  const { webhooks, failures } = await ensureSubscriptions(origin, accessToken, uri);
  await deps.ports.recordWebhooks(actor, shop, webhooks);
  // The store's history comes in at once (resumable, in chunks the database schedules).
  const importId = await deps.ports.startImport(actor, shop);
  return jsonResponse({
    shop_id: shop,
    import_id: importId,
    name: facts.name,
    currency: facts.currencyCode,
    timezone: facts.ianaTimezone,
    webhooks: { registered: Object.keys(webhooks).length, expected: WEBHOOK_TOPICS.length, failures },
  });
}

export async function handleShopifyConnect(req: Request, deps: ConnectDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const body = await readJsonBody(req, requestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  const request = body.value;

  if (request.action === 'renew') {
    const scheduled = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers, deps.env);
    if (!scheduled.ok) return scheduled.response;
    let renewed = 0;
    const failed: string[] = [];
    for (const shop of await deps.ports.tokensToRenew()) {
      try {
        const creds = await deps.ports.credentials(shop);
        if (!creds) continue;
        const granted = await clientCredentialsToken(
          adminOrigin(creds.domain, deps.env),
          creds.client_id ?? '',
          creds.client_secret ?? '',
        );
        await deps.ports.recordToken(shop, granted.accessToken, granted.expiresAt.toISOString());
        renewed += 1;
      } catch (error) {
        failed.push(shop);
        const reason = error instanceof ShopifyError ? error.message : 'The token could not be renewed';
        deps.log('shopify token renewal failed', error);
        await deps.ports.recordTokenFailure(shop, reason);
      }
    }
    return jsonResponse({ renewed, failed });
  }

  const caller = deps.caller(req.headers.get('Authorization') ?? '');
  const actor = await caller.userId();
  if (!actor) return fail('invalid_token', 'Sign in as an admin to manage Shopify connections');
  try {
    if (!(await caller.mayManage())) return fail('forbidden', 'Only an admin can manage Shopify connections');
  } catch (error) {
    deps.log('shopify-connect could not check the caller', error);
    return fail('internal_error', 'The request could not be checked');
  }

  try {
    if (request.action === 'connect') return await connect(request, actor, deps);
    const creds = await deps.ports.credentials(request.shop_id);
    if (!creds) return fail('not_found', 'This shop is not connected');
    if (request.action === 'import')
      return jsonResponse({ import_id: await deps.ports.startImport(actor, request.shop_id) });
    const origin = adminOrigin(creds.domain, deps.env);
    if (request.action === 'repair') {
      const { webhooks, failures } = await ensureSubscriptions(
        origin,
        await liveToken(deps.ports, request.shop_id, creds, deps.env),
        webhookUrl(deps.env),
      );
      await deps.ports.recordWebhooks(actor, request.shop_id, webhooks);
      return jsonResponse({ registered: Object.keys(webhooks).length, expected: WEBHOOK_TOPICS.length, failures });
    }
    if (request.action === 'rotate') {
      if (creds.auth_kind === 'client_credentials') {
        // The new secret must work before it replaces the old one.
        const granted = await clientCredentialsToken(origin, creds.client_id ?? '', request.client_secret);
        await deps.ports.rotateSecret(actor, request.shop_id, request.client_secret);
        await deps.ports.recordToken(request.shop_id, granted.accessToken, granted.expiresAt.toISOString());
      } else await deps.ports.rotateSecret(actor, request.shop_id, request.client_secret);
      return jsonResponse({ rotated: true, secret_last4: request.client_secret.slice(-4) });
    }
    // disconnect: unregister first (best effort: a revoked app cannot be asked), then forget.
    let removed = 0;
    let unregisterError: string | null = null;
    try {
      removed = await removeSubscriptions(
        origin,
        await liveToken(deps.ports, request.shop_id, creds, deps.env),
        webhookUrl(deps.env),
      );
    } catch (error) {
      unregisterError = error instanceof ShopifyError ? error.message : 'Shopify could not be reached';
    }
    await deps.ports.forget(actor, request.shop_id);
    return jsonResponse({ disconnected: true, webhooks_removed: removed, unregister_error: unregisterError });
  } catch (error) {
    if (error instanceof ShopifyError) return shopifyFailure(error);
    const code = (error as { code?: string })?.code;
    if (code === '42501') return fail('forbidden', 'Only an admin can manage Shopify connections');
    deps.log('shopify-connect failed', error);
    return fail('internal_error', 'The Shopify request failed');
  }
}
