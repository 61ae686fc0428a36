// check-alerts: scheduled every 5 minutes (pg_cron + pg_net, see the schedule migrations).
// Runs the SQL alert check, then sends the due alert emails through SendGrid.
// Wiring only: environment, the client, Deno.serve → handler (request handling in
// ./handler.ts, logic in ./check.ts, database access in ./database.ts).
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { unsubscribeSecretFromEnv } from '../_shared/unsubscribe-token.ts';
import { buildAlertEmail, templateCatalog } from './alert-email.ts';
import { runAlertCheck, runOptionsFor } from './check.ts';
import { alertStore, alertTemplates } from './database.ts';
import { handleCheckAlerts } from './handler.ts';

Deno.serve((req) =>
  handleCheckAlerts(req, {
    env: Deno.env,
    async run(request, caller) {
      // Service role: the engine acts for every shopper and writes alert_log (./database.ts).
      const db = serviceClient();
      const templates = await alertTemplates(db);
      const emailOptions = {
        catalog: templateCatalog(templates.rows),
        defaultLanguage: templates.defaultLanguage,
        from: { email: Deno.env.get('ALERT_FROM_EMAIL') || 'alerts@cairn.example', name: 'Cairn' },
        functionsUrl: `${Deno.env.get('SUPABASE_URL')}/functions/v1`,
        unsubscribeSecret: unsubscribeSecretFromEnv(),
      };
      const sendGrid = sendGridOptionsFromEnv();
      return await runAlertCheck(
        alertStore(db),
        (alert) => buildAlertEmail(alert, emailOptions),
        (email) => sendEmail(email, sendGrid),
        { ...runOptionsFor(request, caller), concurrency: 16 },
      );
    },
    log: (message, error) => console.error(message, error),
  }),
);
