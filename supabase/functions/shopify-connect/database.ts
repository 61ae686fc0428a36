/** shopify-connect's ports: the service-role functions of migration 20261207190000. */
import type { Db } from '../_shared/supabase-clients.ts';
import type { ConnectPorts, Credentials } from './handler.ts';

async function call<T>(db: Db, fn: string, args: Record<string, unknown>): Promise<T> {
  // The generated types know these functions; the generic call keeps this file small.
  const { data, error } = await (
    db.rpc as unknown as (
      name: string,
      params: Record<string, unknown>,
    ) => Promise<{ data: T; error: { code?: string; message: string } | null }>
  )(fn, args);
  if (error) throw Object.assign(new Error(error.message), { code: error.code });
  return data;
}

export function connectPorts(db: Db): ConnectPorts {
  return {
    saveConnection: (args) => call<string>(db, 'shopify_save_connection', args),
    async credentials(shopId) {
      const rows = await call<Credentials[]>(db, 'shopify_credentials', { shop_id: shopId });
      return rows[0] ?? null;
    },
    recordToken: (shopId, accessToken, expiresAt) =>
      call(db, 'shopify_record_token', { shop_id: shopId, access_token: accessToken, token_expires_at: expiresAt }),
    recordTokenFailure: (shopId, reason) => call(db, 'shopify_record_token_failure', { shop_id: shopId, reason }),
    recordWebhooks: (actor, shopId, webhooks) =>
      call(db, 'shopify_record_webhooks', { actor, shop_id: shopId, webhooks }),
    rotateSecret: (actor, shopId, clientSecret) =>
      call(db, 'shopify_rotate_secret', { actor, shop_id: shopId, client_secret: clientSecret }),
    forget: (actor, shopId) => call(db, 'shopify_forget_connection', { actor, shop_id: shopId }),
    startImport: (actor, shopId) => call<string>(db, 'shopify_start_import', { actor, shop_id: shopId }),
    async tokensToRenew() {
      const rows = await call<Array<{ shop_id: string }>>(db, 'shopify_tokens_to_renew', {});
      return rows.map((row) => row.shop_id);
    },
  };
}
