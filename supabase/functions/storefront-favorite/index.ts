// storefront-favorite: the storefront heart's requests through a Shopify App Proxy
// (config.toml: verify_jwt = false — Shopify's proxy sends no Supabase JWT; its signature over the
// query is the proof). Wiring only: environment, database calls, Deno.serve → handler.
// PORTAL_SIGNUP_URL: where a visitor who is not logged in to the shop signs up (the portal).
import { serviceClient } from '../_shared/supabase-clients.ts';
import { handleStorefrontFavorite, type StorefrontResult } from './handler.ts';

// Service role: the caller is a storefront visitor vouched for by Shopify's signature, not a
// Cairn user; public.shop_webhook_secret (the lookup shopify-webhook uses) and
// public.storefront_favorite are granted to the service role only.
const db = serviceClient();

Deno.serve((req) =>
  handleStorefrontFavorite(req, {
    secret: async (shopDomain) => {
      const { data, error } = await db.rpc('shop_webhook_secret', { shop_domain: shopDomain });
      if (error) throw new Error(error.message);
      return typeof data === 'string' && data ? data : null;
    },
    favourite: async (input) => {
      const { data, error } = await db.rpc('storefront_favorite', {
        shop_domain: input.shopDomain,
        signature: input.signature,
        shopify_customer_id: input.shopifyCustomerId,
        variant_ids: input.variantIds,
        set_variant: input.setVariant ?? undefined,
        favourite: input.favourite ?? undefined,
      });
      return { data: data as unknown as StorefrontResult | null, error };
    },
    signupUrl: Deno.env.get('PORTAL_SIGNUP_URL') || null,
    log: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  }),
);
