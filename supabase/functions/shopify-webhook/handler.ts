/**
 * The shopify-webhook function's logic, free of Deno.serve and of the database client so
 * `deno test` covers it with fakes. Order of work (issue 5, spec §9):
 *
 *   raw body (≤ 1 MiB, else 413) → shop domain → its secret → HMAC over the raw bytes, in
 *   constant time (401, nothing stored) → X-Shopify-* headers (400) → JSON (400) → map the
 *   payload of a supported topic → store + apply in one database call → 200.
 *
 * Decisions:
 * - Applying is inline: one `ingest_shopify_webhook` call stores the delivery and applies it
 *   in the same transaction (the apply in a subtransaction), a few milliseconds, far inside
 *   Shopify's 5 s. Nothing is queued in memory, so nothing is lost if the function dies.
 * - Answered 200 whenever the delivery is stored, even when applying failed or the payload did
 *   not validate: it is kept as `failed` with its error and retried by the database every
 *   minute, so a Shopify retry would add nothing (and enough failures make Shopify delete the
 *   subscription). Only when storing itself fails is the answer 500, so that Shopify retries.
 * - A duplicate (same topic and X-Shopify-Event-Id) is answered 200 `duplicate`, not applied again.
 * - Unknown topics are stored as `ignored` and answered 200.
 * - Signed but not JSON is refused with 400 and not stored: there is nothing to apply or keep.
 * - Signed JSON that Postgres cannot hold as sent (`\u0000`, unpaired surrogates: security review
 *   M-5) is stored with U+FFFD in their place and applied, the body as sent kept beside it. When
 *   storing still fails because of the content (nesting too deep for jsonb, L-9, or any other
 *   data error), retrying could never help: a placeholder delivery is stored with the error and
 *   the body, as `failed`, and answered 200 (../_shared/storable-json.ts). The placeholder keeps
 *   the ids a privacy request matches deliveries by, so a redaction still finds (and drops) it.
 */
import { fail, readRawBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { parseShopifyPayload } from './payloads.ts';
import { isSupportedTopic, parseShopifyHeaders, SHOPIFY_HEADERS, shopDomainOf, verifyShopifyHmac } from './envelope.ts';
import { describeContentError, isContentError, parseStorableJson } from '../_shared/storable-json.ts';
import type { SecretCache } from './secrets.ts';

/** Shopify payloads are far smaller; anything above is refused before it is buffered. */
export const BODY_LIMIT = 1024 * 1024;

/** The arguments of `public.ingest_shopify_webhook`. */
export interface IngestInput {
  shop_domain: string;
  topic: string;
  event_id: string;
  webhook_id: string;
  triggered_at: string;
  api_version: string;
  payload: unknown;
  mapped: unknown;
  parse_error: string | null;
  /** The body as sent, when `payload` is not it (sanitised, or a placeholder). */
  original_body: string | null;
}

export interface IngestResult {
  /** unknown_shop: the shop is not active (any more); nothing was stored. */
  status: 'applied' | 'ignored' | 'failed' | 'duplicate' | 'unknown_shop';
  delivery_id?: number;
  outcome?: string;
  error?: string;
}

export interface WebhookDeps {
  secrets: Pick<SecretCache, 'get' | 'forget'>;
  /** Stores and applies; throws when the delivery could not be stored. */
  ingest(input: IngestInput): Promise<IngestResult>;
  log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
  /** The secret in use before a rotation, while its grace period runs (issue 11); null otherwise. */
  previousSecret?(domain: string): Promise<string | null>;
}

export async function handleShopifyWebhook(req: Request, deps: WebhookDeps): Promise<Response> {
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  const raw = await readRawBody(req, BODY_LIMIT);
  if (!raw.ok) return raw.response;

  // Authenticity before anything else: an unknown shop, a missing or a wrong signature all get
  // the same 401 and leave no trace in the database.
  const domain = shopDomainOf(req.headers);
  const hmac = req.headers.get(SHOPIFY_HEADERS.hmac);
  if (!hmac) return fail('missing_signature', `${SHOPIFY_HEADERS.hmac} is required`);
  if (!domain) return fail('invalid_signature', 'The webhook signature could not be verified');
  if (!(await signatureIsValid(raw.value, hmac, domain, deps))) {
    deps.log('warn', 'shopify webhook signature rejected', { shop: domain });
    return fail('invalid_signature', 'The webhook signature could not be verified');
  }

  const headers = parseShopifyHeaders(req.headers);
  if (!headers.ok) return fail('invalid_headers', headers.message);
  const delivery = headers.value;

  const json = parseStorableJson(raw.value);
  if (!json.ok) return json.response;
  const body = json.value;
  if (body.sanitised) {
    deps.log('warn', 'shopify webhook payload sanitised (NUL or unpaired surrogate)', {
      shop: domain,
      topic: delivery.topic,
      eventId: delivery.eventId,
    });
  }

  let mapped: unknown = null;
  let parseError: string | null = null;
  if (isSupportedTopic(delivery.topic)) {
    const parsed = parseShopifyPayload(delivery.topic, body.value);
    if (parsed.ok) mapped = parsed.value;
    else parseError = `invalid payload: ${parsed.message}`;
  } else {
    deps.log('info', 'shopify webhook topic ignored', { shop: domain, topic: delivery.topic });
  }

  const input: IngestInput = {
    shop_domain: domain,
    topic: delivery.topic,
    event_id: delivery.eventId,
    webhook_id: delivery.webhookId,
    triggered_at: delivery.triggeredAt,
    api_version: delivery.apiVersion,
    payload: body.value,
    mapped,
    parse_error: parseError,
    original_body: body.sanitised ? body.text : null,
  };
  let result: IngestResult;
  try {
    result = await deps.ingest(input);
  } catch (error) {
    const fields = {
      shop: domain,
      topic: delivery.topic,
      eventId: delivery.eventId,
      error: describeContentError(error),
    };
    if (!isContentError(error)) {
      deps.log('error', 'shopify webhook could not be stored', fields);
      return fail('internal_error', 'The delivery could not be stored; please retry');
    }
    // The same content fails the same way every time: kept as a placeholder, never retried.
    deps.log('warn', 'shopify webhook payload not storable; stored a placeholder', fields);
    try {
      result = await deps.ingest({
        ...input,
        payload: placeholderPayload(body.value),
        mapped: null,
        parse_error: `payload not storable: ${describeContentError(error)}`,
        original_body: body.text,
      });
    } catch (placeholderError) {
      deps.log('error', 'shopify webhook could not be stored', {
        ...fields,
        error: describeContentError(placeholderError),
      });
      return fail('internal_error', 'The delivery could not be stored; please retry');
    }
  }

  if (result.status === 'unknown_shop') {
    // Deactivated while its secret sat in the cache (e.g. by shop/redact): treated as unknown.
    deps.secrets.forget(domain);
    return fail('invalid_signature', 'The webhook signature could not be verified');
  }
  if (result.status === 'failed') {
    deps.log('warn', 'shopify webhook stored but not applied (will be retried)', {
      shop: domain,
      topic: delivery.topic,
      deliveryId: result.delivery_id,
      error: result.error,
    });
  }
  return jsonResponse({
    status: result.status,
    deliveryId: result.delivery_id,
    ...(result.outcome ? { outcome: result.outcome } : {}),
  });
}

async function signatureIsValid(body: Uint8Array, hmac: string, domain: string, deps: WebhookDeps): Promise<boolean> {
  const first = await deps.secrets.get(domain);
  if (!first.secret) return false;
  if ((await verifyShopifyHmac(body, hmac, first.secret)).ok) return true;
  if (first.cached) {
    // The cached secret may be stale (rotated a moment ago): one more try with a fresh one.
    const fresh = await deps.secrets.get(domain, true);
    if (
      fresh.secret !== null &&
      fresh.secret !== first.secret &&
      (await verifyShopifyHmac(body, hmac, fresh.secret)).ok
    )
      return true;
  }
  // Signed with the secret before a rotation, still inside its grace period.
  const previous = deps.previousSecret ? await deps.previousSecret(domain) : null;
  return previous !== null && (await verifyShopifyHmac(body, hmac, previous)).ok;
}

/**
 * What a placeholder delivery stores as its payload: the ids customers/redact and shop/redact
 * match stored deliveries by (`id`, `order_id`, `customer.id`), when they are plain values.
 */
export function placeholderPayload(value: unknown): Record<string, unknown> {
  const placeholder: Record<string, unknown> = { not_stored: true };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return placeholder;
  const record = value as Record<string, unknown>;
  const plain = (item: unknown) => typeof item === 'number' || typeof item === 'string';
  if (plain(record.id)) placeholder.id = record.id;
  if (plain(record.order_id)) placeholder.order_id = record.order_id;
  const customer = record.customer as Record<string, unknown> | null | undefined;
  if (customer && typeof customer === 'object' && plain(customer.id)) placeholder.customer = { id: customer.id };
  return placeholder;
}
