// Also its scheduled mode: the automation engine's queued emails ({"source":"automation"}, ./automation.ts).
// send-email: a team member sends a template to a customer (or a test send to themselves).
// Wiring only: environment, clients, Deno.serve → handler (request handling in ./handler.ts,
// logic in ./send.ts, database access in ./database.ts). Alerts do not come through here:
// check-alerts sends its own through the same mail client (_shared/sendgrid.ts).
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { lookupSend } from '../_shared/sendgrid-activity.ts';
import { callerClient, serviceClient } from '../_shared/supabase-clients.ts';
import { createUnsubscribeToken, unsubscribeSecretFromEnv } from '../_shared/unsubscribe-token.ts';
import { automationDatabase, sendEmailDatabase } from './database.ts';
import { handleSendEmail } from './handler.ts';

Deno.serve((req) =>
  handleSendEmail(req, {
    portsFor: (authorization, userId) => ({
      // The caller's client: RLS decides which customers, templates and threads they may use;
      // the service role only records the delivery status (./database.ts).
      ...sendEmailDatabase(callerClient(authorization), userId, () => serviceClient()),
      from: { email: Deno.env.get('TEAM_FROM_EMAIL') || 'team@cairn.example', name: 'Cairn' },
      // Replies to reply+<thread token>@ this domain come back through inbound-email.
      replyDomain: Deno.env.get('INBOUND_EMAIL_DOMAIN') || undefined,
      send: (email) => sendEmail(email, sendGridOptionsFromEnv()),
    }),
    // The scheduled mode: the automation engine's emails, as the system (./automation.ts).
    automationPorts: () => ({
      ...automationDatabase(serviceClient()),
      from: { email: Deno.env.get('TEAM_FROM_EMAIL') || 'team@cairn.example', name: 'Cairn' },
      send: (email) => sendEmail(email, sendGridOptionsFromEnv()),
      lookup: (key) => lookupSend(key, sendGridOptionsFromEnv()),
      unsubscribeUrl: async (customerId, purpose) =>
        `${Deno.env.get('SUPABASE_URL')}/functions/v1/unsubscribe?token=${await createUnsubscribeToken(
          customerId,
          purpose,
          unsubscribeSecretFromEnv(),
        )}`,
    }),
    env: Deno.env,
    log: (message, error) => console.error(message, error),
  }),
);
