/**
 * The Shopify webhook envelope (supabase-local-spec §9): HMAC verification over the raw body,
 * the `X-Shopify-*` headers, and the topics Cairn handles. Payload schemas and the mapping to
 * Cairn records live in `payloads.ts` and its topic files.
 *
 * Order of work in `handler.ts`: read raw bytes (size-limited) → `shopDomainOf` → look up
 * the shop's secret(s) → `verifyShopifyHmac` (401 on failure, nothing stored) →
 * `parseShopifyHeaders` → `parseShopifyPayload` → store and apply in one database call.
 */
import { z } from 'zod';
import { fromBase64, verifyHmacSha256 } from '../_shared/bytes.ts';

/** Topics Cairn applies (issue 5; spec §9). Anything else is answered 200 and ignored. */
export const SHOPIFY_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'refunds/create',
  'customers/create',
  'customers/update',
  'products/create',
  'products/update',
  'products/delete',
  'inventory_levels/update',
  'fulfillments/create',
  'fulfillments/update',
  'locations/create',
  'locations/update',
  'locations/delete',
  'customers/data_request',
  'customers/redact',
  'shop/redact',
] as const;

export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

export function isSupportedTopic(topic: string): topic is ShopifyTopic {
  return (SHOPIFY_TOPICS as readonly string[]).includes(topic);
}

export const SHOPIFY_HEADERS = {
  topic: 'X-Shopify-Topic',
  hmac: 'X-Shopify-Hmac-Sha256',
  shopDomain: 'X-Shopify-Shop-Domain',
  apiVersion: 'X-Shopify-API-Version',
  webhookId: 'X-Shopify-Webhook-Id',
  eventId: 'X-Shopify-Event-Id',
  triggeredAt: 'X-Shopify-Triggered-At',
  name: 'X-Shopify-Name',
  subTopic: 'X-Shopify-Sub-Topic',
} as const;

/** `<handle>.myshopify.com`, the permanent shop domain Shopify signs with (never a custom domain). */
export const SHOP_DOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}\.myshopify\.com$/;

/** The shop domain header, lower-cased, when it is a valid `*.myshopify.com` domain; else null. */
export function shopDomainOf(headers: Headers): string | null {
  const domain = headers.get(SHOPIFY_HEADERS.shopDomain)?.trim().toLowerCase();
  return domain && SHOP_DOMAIN_PATTERN.test(domain) ? domain : null;
}

export type HmacFailure = 'missing' | 'malformed' | 'mismatch';

/**
 * Checks `X-Shopify-Hmac-Sha256` (base64 HMAC-SHA256 of the exact body bytes) against one or
 * more secrets — several while a rotated secret is still being phased in (Shopify takes up to
 * an hour to switch). Comparison is WebCrypto's constant-time verify.
 */
export async function verifyShopifyHmac(
  rawBody: Uint8Array,
  hmacHeader: string | null,
  secrets: string | readonly string[],
): Promise<{ ok: true } | { ok: false; reason: HmacFailure }> {
  if (!hmacHeader) return { ok: false, reason: 'missing' };
  const signature = fromBase64(hmacHeader);
  // 32 bytes is the only length an HMAC-SHA256 can have; anything else cannot match.
  if (!signature || signature.length !== 32) return { ok: false, reason: 'malformed' };
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    if (secret && (await verifyHmacSha256(secret, rawBody, signature))) return { ok: true };
  }
  return { ok: false, reason: 'mismatch' };
}

const token = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

const headersSchema = z.object({
  topic: z
    .string()
    .trim()
    .regex(/^[a-z_]+\/[a-z_]+$/, 'must look like resource/event'),
  shopDomain: z.string().trim().toLowerCase().regex(SHOP_DOMAIN_PATTERN, 'must be a *.myshopify.com domain'),
  apiVersion: z
    .string()
    .trim()
    .regex(/^(\d{4}-\d{2}|unstable)$/, 'must look like 2025-07'),
  webhookId: token,
  eventId: token,
  triggeredAt: z.iso.datetime({ offset: true }),
  name: z.string().max(255).optional(),
  subTopic: z.string().max(255).optional(),
});

/** The validated `X-Shopify-*` headers of one delivery. */
export interface ShopifyDelivery {
  topic: string;
  /** Lower-cased `<handle>.myshopify.com`. */
  shopDomain: string;
  apiVersion: string;
  /** Unique per delivery attempt. */
  webhookId: string;
  /** Same for every delivery of one event (retries, duplicates): the de-duplication key with the topic. */
  eventId: string;
  /** When the event fired, as sent (ISO-8601; may carry nanoseconds) — order events by this, not arrival. */
  triggeredAt: string;
  name?: string;
  subTopic?: string;
}

/**
 * The delivery headers, validated; the error message names the header. Event id and
 * triggered-at are required (Shopify always sends them) because de-duplication and ordering
 * depend on them.
 */
export function parseShopifyHeaders(
  headers: Headers,
): { ok: true; value: ShopifyDelivery } | { ok: false; message: string } {
  const raw = Object.fromEntries(
    Object.entries(SHOPIFY_HEADERS)
      .filter(([key]) => key !== 'hmac')
      .map(([key, name]) => [key, headers.get(name) ?? undefined]),
  );
  const parsed = headersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'topic') as keyof typeof SHOPIFY_HEADERS;
    return { ok: false, message: `${SHOPIFY_HEADERS[key] ?? key}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, value: parsed.data };
}
