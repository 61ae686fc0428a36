// ecb-rates: scheduled (weekdays 15:30 UTC) import of the ECB's reference rates. Wiring only.
import type { Json } from '../_shared/database.types.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { handleEcbRates } from './handler.ts';

// Service role: public.import_ecb_rates writes exchange_rates for the whole workspace.
const db = serviceClient();

Deno.serve((req) =>
  handleEcbRates(req, {
    env: Deno.env,
    async importRates(days) {
      // The days are plain JSON (dates, numbers); the generated type names it Json.
      const { data, error } = await db.rpc('import_ecb_rates', { days: days as unknown as Json });
      if (error) throw error;
      return data;
    },
  }),
);
