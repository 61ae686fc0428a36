// send-campaigns: scheduled every minute (pg_cron + pg_net) and woken by send_campaign /
// resume_campaign. Settles sends a dead run left in doubt, then sends due campaign emails in
// batches through SendGrid. Wiring only: environment, the client, Deno.serve → handler (request
// handling in ./handler.ts, logic in ./send.ts, database access in ./database.ts).
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { createUnsubscribeToken, unsubscribeSecretFromEnv } from '../_shared/unsubscribe-token.ts';
import { lookupSend } from '../_shared/sendgrid-activity.ts';
import { campaignStore } from './database.ts';
import { handleSendCampaigns } from './handler.ts';
import { runCampaignSends, runOptionsFor } from './send.ts';

Deno.serve((req) =>
  handleSendCampaigns(req, {
    env: Deno.env,
    run(request, caller) {
      // Service role: the sender acts for every campaign and writes campaign_recipients (./database.ts).
      const db = serviceClient();
      // Few retries inside one call: a 429 that persists is handed to the database, which holds
      // every sender back, instead of keeping a lane busy.
      // At most two attempts of 10 s and one wait of 5 s: one send always fits in the lease's
      // last LEASE_MARGIN_SECONDS (./send.ts).
      const sendGrid = { ...sendGridOptionsFromEnv(), maxAttempts: 2, maxDelayMs: 5_000, timeoutMs: 10_000 };
      const secret = unsubscribeSecretFromEnv();
      const functionsUrl = `${Deno.env.get('SUPABASE_URL')}/functions/v1`;
      return runCampaignSends(
        campaignStore(db),
        { send: (email) => sendEmail(email, sendGrid), lookup: (key) => lookupSend(key, sendGrid) },
        {
          from: { email: Deno.env.get('CAMPAIGN_FROM_EMAIL') || 'news@cairn.example', name: 'Cairn' },
          unsubscribeUrl: async (customerId) =>
            `${functionsUrl}/unsubscribe?token=${await createUnsubscribeToken(customerId, 'email:marketing', secret)}`,
        },
        { ...runOptionsFor(request, caller), concurrency: 16 },
      );
    },
    log: (message, error) => console.error(message, error),
  }),
);
