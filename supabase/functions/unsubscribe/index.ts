// unsubscribe: the signed link in every alert email and its RFC 8058 one-click POST
// (config.toml: verify_jwt = false — mail clients have no JWT; the signed token is the proof).
// Wiring only: environment, the database call, Deno.serve → handler (logic in ./handler.ts).
// With UNSUBSCRIBE_PAGE_URL set (production: hosted Supabase shows a function's HTML as text),
// a GET is sent to the app's page, which POSTs JSON back and gets JSON answers.
import { serviceClient } from '../_shared/supabase-clients.ts';
import { unsubscribeSecretFromEnv } from '../_shared/unsubscribe-token.ts';
import { recordUnsubscribe } from './database.ts';
import { handleUnsubscribe } from './handler.ts';

const pageUrl = Deno.env.get('UNSUBSCRIBE_PAGE_URL') || null;

Deno.serve((req) =>
  handleUnsubscribe(req, {
    pageUrl,
    secret: () => unsubscribeSecretFromEnv(),
    // Service role: the person unsubscribing is not signed in; the verified token is their
    // authority (./database.ts).
    record: (customerId, target, evidence) => recordUnsubscribe(serviceClient(), customerId, target, evidence),
    log: (message, error) => console.error(message, error),
  }),
);
