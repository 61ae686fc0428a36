// send-campaigns: scheduled every minute (pg_cron + pg_net) and woken by send_campaign /
// resume_campaign. Settles sends a dead run left in doubt, then sends due campaign emails in
// batches through SendGrid, many personalizations per request. Wiring only: environment, the client, Deno.serve → handler (request
// handling in ./handler.ts, logic in ./send.ts, database access in ./database.ts).
import { postMailSend, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
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
      // One attempt per request: a request of up to 1 000 emails that got no answer may have
      // reached SendGrid, so it is looked up later, never retried blindly; a 429 is handed to the
      // database, which holds every sender back. One attempt of at most 10 s always fits in the
      // lease's last LEASE_MARGIN_SECONDS (./send.ts).
      const sendGrid = { ...sendGridOptionsFromEnv(), maxAttempts: 1, timeoutMs: 10_000 };
      const secret = unsubscribeSecretFromEnv();
      const functionsUrl = `${Deno.env.get('SUPABASE_URL')}/functions/v1`;
      return runCampaignSends(
        campaignStore(db),
        { send: (body) => postMailSend(body, sendGrid), lookup: (key) => lookupSend(key, sendGrid) },
        {
          from: { email: Deno.env.get('CAMPAIGN_FROM_EMAIL') || 'news@cairn.example', name: 'Cairn' },
          unsubscribeUrl: async (customerId) =>
            `${functionsUrl}/unsubscribe?token=${await createUnsubscribeToken(customerId, 'email:marketing', secret)}`,
        },
        { ...runOptionsFor(request, caller), concurrency: 4 },
      );
    },
    log: (message, error) => console.error(message, error),
  }),
);
