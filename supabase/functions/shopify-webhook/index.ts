// shopify-webhook: receives Shopify's webhooks (orders, refunds, customers, products,
// inventory, privacy topics), verifies their HMAC and stores + applies them.
// Wiring only: signature → headers → handler (logic in ./handler.ts). No CORS: only Shopify's
// servers call it, never a browser. verify_jwt = false in supabase/config.toml: Shopify sends
// no Supabase JWT; the HMAC is the authentication.
import { fail } from '../_shared/errors.ts';
import { webhookDatabase } from './database.ts';
import { handleShopifyWebhook } from './handler.ts';
import { SecretCache } from './secrets.ts';

// A direct, pooled database connection rather than the REST API: the caller is Shopify, not a
// Cairn user, so there is no JWT to act as, and this path runs on every event (./database.ts).
const db = webhookDatabase();
const secrets = new SecretCache((domain) => db.shopWebhookSecret(domain));

function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void {
  console[level](JSON.stringify({ level, message, ...fields }));
}

Deno.serve(async (req) => {
  try {
    return await handleShopifyWebhook(req, {
      secrets,
      log,
      ingest: (input) => db.ingest(input),
      previousSecret: (domain) => db.previousWebhookSecret(domain),
    });
  } catch (error) {
    // The secret lookup failed (database unreachable): nothing was stored, Shopify must retry.
    log('error', 'shopify webhook failed', { error: error instanceof Error ? error.message : String(error) });
    return fail('internal_error', 'The delivery could not be processed; please retry');
  }
});
