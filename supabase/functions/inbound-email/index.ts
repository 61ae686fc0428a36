// inbound-email: SendGrid Inbound Parse posts every email sent to the inbound domain here.
// Wiring only: environment, clients, Deno.serve → handler (./handler.ts; decoding in ./mail.ts
// and ./multipart.ts; database and Storage in ./database.ts). No CORS: only SendGrid calls it.
// verify_jwt = false in supabase/config.toml: SendGrid sends no JWT; the secret in the parse URL
// (INBOUND_PARSE_SECRET) is the authentication.
import { fail } from '../_shared/errors.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { inboundDatabase } from './database.ts';
import { handleInboundEmail } from './handler.ts';

function log(message: string, fields: Record<string, unknown>): void {
  console.info(JSON.stringify({ message, ...fields }));
}

Deno.serve(async (req) => {
  try {
    return await handleInboundEmail(req, {
      secret: Deno.env.get('INBOUND_PARSE_SECRET'),
      // Service role: the sender is not a Cairn user; the SQL functions decide where mail goes.
      ...inboundDatabase(serviceClient()),
      log,
    });
  } catch (error) {
    // The database or Storage failed: nothing half-filed is answered as done; SendGrid retries.
    console.error(
      JSON.stringify({
        message: 'inbound email failed',
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    return fail('internal_error', 'The email could not be filed; please retry');
  }
});
