// shopify-webhook: receives Shopify's webhooks (orders, refunds, customers, products,
// inventory, privacy topics), verifies their HMAC and stores + applies them.
// Wiring only: signature → headers → handler (logic in ./handler.ts). No CORS: only Shopify's
// servers call it, never a browser. verify_jwt = false in supabase/config.toml: Shopify sends
// no Supabase JWT; the HMAC is the authentication.
import { fail } from '../_shared/errors.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { handleShopifyWebhook, type IngestResult } from './handler.ts';
import { SecretCache } from './secrets.ts';

// Service-role client, because the caller is Shopify, not a Cairn user: there is no user JWT
// to act as, and the two database functions it needs (the shop's webhook secret, and storing
// + applying a delivery) are granted to service_role only.
const supabase = serviceClient();

const secrets = new SecretCache(async (domain) => {
  const { data, error } = await supabase.rpc('shop_webhook_secret', { shop_domain: domain });
  if (error) throw new Error(`shop_webhook_secret: ${error.message}`);
  return typeof data === 'string' && data ? data : null;
});

function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
  console[level](JSON.stringify({ level, message, ...fields }));
}

Deno.serve(async (req) => {
  try {
    return await handleShopifyWebhook(req, {
      secrets,
      log,
      async ingest(input) {
        const { data, error } = await supabase.rpc('ingest_shopify_webhook', { ...input });
        if (error) throw new Error(`ingest_shopify_webhook: ${error.message}`);
        return data as IngestResult;
      },
    });
  } catch (error) {
    // The secret lookup failed (database unreachable): nothing was stored, Shopify must retry.
    log('error', 'shopify webhook failed', { error: error instanceof Error ? error.message : String(error) });
    return fail('internal_error', 'The delivery could not be processed; please retry');
  }
});
