// sendgrid-events: SendGrid's signed Event Webhook (config.toml: verify_jwt = false — SendGrid
// sends no JWT; the ECDSA signature is the proof).
// Wiring only: environment, the database call, Deno.serve → handler (logic in ./handler.ts).
import { serviceClient } from '../_shared/supabase-clients.ts';
import { emailEventRecorder } from './database.ts';
import { handleSendGridEvents } from './handler.ts';

Deno.serve((req) =>
  handleSendGridEvents(req, {
    publicKey: Deno.env.get('SENDGRID_WEBHOOK_PUBLIC_KEY'),
    // Service role: the events are about any customer (./database.ts).
    record: emailEventRecorder(serviceClient()),
    now: () => new Date(),
    warn: (message, fields = {}) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
    error: (message, error) => console.error(message, error),
  }),
);
