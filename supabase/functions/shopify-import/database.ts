/** shopify-import's ports: the service-role functions of migrations 20261207190000, 20261207191000, 20261210140000 and 20261211140000. */
import type { Db } from '../_shared/supabase-clients.ts';
import type { Credentials, ImportPorts, ImportRow } from './handler.ts';

async function call<T>(db: Db, fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await (
    db.rpc as unknown as (
      name: string,
      params: Record<string, unknown>,
    ) => Promise<{ data: T; error: { code?: string; message: string } | null }>
  )(fn, args);
  if (error) throw Object.assign(new Error(error.message), { code: error.code });
  return data;
}

export function importPorts(db: Db): ImportPorts {
  return {
    async claim() {
      const rows = await call<ImportRow[]>(db, 'shopify_import_claim', {});
      return rows[0] ?? null;
    },
    async credentials(shopId) {
      const rows = await call<Credentials[]>(db, 'shopify_credentials', { shop_id: shopId });
      return rows[0] ?? null;
    },
    recordToken: (shopId, accessToken, expiresAt) =>
      call(db, 'shopify_record_token', { shop_id: shopId, access_token: accessToken, token_expires_at: expiresAt }),
    progress: (importId, fields) => call(db, 'shopify_import_progress', { import_id: importId, ...fields }),
    continueImport: (importId) => call(db, 'shopify_import_continue', { import_id: importId }),
    refreshMetrics: (importId, batch) =>
      call<number>(db, 'shopify_import_refresh_metrics', { import_id: importId, batch }),
    applyChunk: ({ reconcile, ...args }) =>
      call(db, reconcile ? 'shopify_reconcile_apply_chunk' : 'shopify_import_apply_chunk', args),
  };
}
