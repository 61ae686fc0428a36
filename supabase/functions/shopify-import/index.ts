// shopify-import: called by the database (pg_cron every minute, pg_net after each chunk) with the
// cron secret, or by the service role. Wiring only; the work is in ./handler.ts.
import { serviceClient } from '../_shared/supabase-clients.ts';
import { importPorts } from './database.ts';
import { handleShopifyImport } from './handler.ts';

// Service role: imports write through service-role-only functions (migration 20261207191000).
const ports = importPorts(serviceClient());

Deno.serve((req) =>
  handleShopifyImport(req, { ports, env: Deno.env, log: (message, error) => console.error(message, error) }),
);
