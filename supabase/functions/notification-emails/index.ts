// notification-emails: scheduled every minute (pg_cron + pg_net, migration
// 20261208130100_create_notification_emails.sql). Sends the notification emails the database
// queued — a reminder emailed at once, each member's daily digest — through SendGrid.
// Wiring only: environment, the client, Deno.serve → handler (request handling in ./handler.ts,
// logic in ./run.ts, the words in ./email.ts, database access in ./database.ts).
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { emailStore } from './database.ts';
import { buildNotificationEmail } from './email.ts';
import { handleNotificationEmails } from './handler.ts';
import { runNotificationEmails, runOptionsFor } from './run.ts';

Deno.serve((req) =>
  handleNotificationEmails(req, {
    env: Deno.env,
    run(request, caller) {
      // Service role: the outbox belongs to the system, and the job writes for every member.
      const store = emailStore(serviceClient());
      const options = {
        from: { email: Deno.env.get('TEAM_FROM_EMAIL') || 'team@cairn.example', name: 'Cairn' },
        appUrl: Deno.env.get('SITE_URL') || 'http://127.0.0.1:3000',
      };
      const sendGrid = sendGridOptionsFromEnv();
      return runNotificationEmails(
        store,
        (claimed) => buildNotificationEmail(claimed, options),
        (email) => sendEmail(email, sendGrid),
        { ...runOptionsFor(request, caller), concurrency: 8 },
      );
    },
    log: (message, error) => console.error(message, error),
  }),
);
