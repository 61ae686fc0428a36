/**
 * storefront-favorite: the heart on a Shopify storefront, through a Shopify App Proxy.
 *
 *   GET …/storefront-favorite?<Shopify's signed query>[&variants=1,2,3][&variant=N&favourite=true|false]
 *
 * Shopify's signature over the query (./signature.ts) is checked with the shop's secret — the
 * same per-shop secret lookup the shopify-webhook function uses — and its timestamp must be
 * within 5 minutes: otherwise 401 and nothing is written. Everything the request asks is in the
 * signed query (App Proxy signs the query, not a body). A visitor who is not logged in to the
 * shop (empty `logged_in_customer_id`) gets `{ signed_in: false, signup_url }`: the heart offers
 * the portal's sign-up. The database then remembers the signature (a replay is 401), finds the
 * Cairn customer of that Shopify customer and sets the favourite (./index.ts wires it).
 */
import { fail } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { verifyProxySignature } from './signature.ts';

export interface StorefrontResult {
  customer: boolean;
  favourites: number[];
}

export interface StorefrontDeps {
  /** The shop's secret (null: unknown, inactive or not configured). */
  secret(shopDomain: string): Promise<string | null>;
  favourite(input: {
    shopDomain: string;
    signature: string;
    shopifyCustomerId: number;
    variantIds: number[];
    setVariant: number | null;
    favourite: boolean | null;
  }): Promise<{ data: StorefrontResult | null; error: { code: string; message: string; details?: string } | null }>;
  /** Where a visitor who is not logged in signs up (the portal). */
  signupUrl: string | null;
  now?: () => Date;
  log(message: string, fields: Record<string, unknown>): void;
}

const SHOP = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;
const ID = /^[1-9]\d{0,17}$/;

export async function handleStorefrontFavorite(req: Request, deps: StorefrontDeps): Promise<Response> {
  if (req.method !== 'GET' && req.method !== 'POST') return fail('method_not_allowed', 'Use GET or POST');
  const query = new URL(req.url).searchParams;
  const shop = query.get('shop') ?? '';
  if (!query.get('signature')) return fail('missing_signature', 'The request is not signed by Shopify');
  if (!SHOP.test(shop)) return fail('invalid_signature', 'The signature is not valid');
  const secret = await deps.secret(shop);
  if (!secret) return fail('invalid_signature', 'The signature is not valid');
  const verdict = await verifyProxySignature(query, [secret], deps.now?.() ?? new Date());
  if (!verdict.ok) return fail(verdict.code, verdict.message);

  const customer = query.get('logged_in_customer_id') ?? '';
  if (!customer) return jsonResponse({ signed_in: false, signup_url: deps.signupUrl, favourites: [] });
  if (!ID.test(customer)) return fail('invalid_request', 'logged_in_customer_id must be a Shopify customer id');

  const variantsParam = query.get('variants') ?? '';
  const variantIds = variantsParam ? variantsParam.split(',') : [];
  if (variantIds.length > 100 || !variantIds.every((id) => ID.test(id))) {
    return fail('invalid_request', 'variants must be up to 100 comma-separated Shopify variant ids');
  }
  const variant = query.get('variant');
  const favouriteParam = query.get('favourite');
  if ((variant === null) !== (favouriteParam === null)) {
    return fail('invalid_request', 'variant and favourite go together');
  }
  if (variant !== null && !ID.test(variant)) return fail('invalid_request', 'variant must be a Shopify variant id');
  if (favouriteParam !== null && favouriteParam !== 'true' && favouriteParam !== 'false') {
    return fail('invalid_request', 'favourite must be true or false');
  }

  const { data, error } = await deps.favourite({
    shopDomain: shop,
    signature: query.get('signature') ?? '',
    shopifyCustomerId: Number(customer),
    variantIds: variantIds.map(Number),
    setVariant: variant === null ? null : Number(variant),
    favourite: favouriteParam === null ? null : favouriteParam === 'true',
  });
  if (error) {
    if (error.details === 'replayed') return fail('invalid_signature', 'This signed request was already used');
    if (error.details === 'unknown_variant') return fail('not_found', 'This product is not available');
    deps.log('storefront favourite failed', { code: error.code, message: error.message });
    return fail('internal_error', 'The favourite could not be saved; please retry');
  }
  return jsonResponse({
    signed_in: true,
    known_customer: data?.customer ?? false,
    signup_url: data?.customer ? null : deps.signupUrl,
    favourites: data?.favourites ?? [],
  });
}
