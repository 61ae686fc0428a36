// shopify-connect: Settings → Integrations (connect, repair, rotate, disconnect) and the
// token-renewal schedule. Wiring only: environment, clients, Deno.serve → ./handler.ts.
import { callerClient, serviceClient } from '../_shared/supabase-clients.ts';
import { handleShopifyConnect } from './handler.ts';
import { connectPorts } from './database.ts';

// Service role: the connection's secrets live in Vault behind service-role-only functions, each
// of which re-checks that the acting user is an admin.
const ports = connectPorts(serviceClient());

Deno.serve((req) =>
  handleShopifyConnect(req, {
    caller(authorization) {
      const db = callerClient(authorization);
      return {
        async userId() {
          const { data } = await db.auth.getUser(authorization.replace(/^Bearer\s+/i, ''));
          return data.user?.id ?? null;
        },
        async mayManage() {
          const { data, error } = await db.rpc('shopify_may_manage');
          if (error) throw error;
          return data === true;
        },
      };
    },
    ports,
    env: Deno.env,
    log: (message, error) => console.error(message, error),
  }),
);
