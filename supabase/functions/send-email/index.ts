// send-email: a team member sends a template to a customer (or a test send to themselves).
// Wiring only: CORS → method → caller's JWT → body → handler (logic in ./send.ts, database
// access in ./database.ts). Alerts do not come through here: check-alerts sends its own through
// the same mail client (_shared/sendgrid.ts).
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { callerClient, serviceClient } from '../_shared/supabase-clients.ts';
import { sendEmailDatabase } from './database.ts';
import { sendEmailRequestSchema, sendTemplatedEmail } from './send.ts';

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const authorization = req.headers.get('Authorization') ?? '';
  const claims = jwtClaims(authorization);
  const userId = claims?.role === 'authenticated' ? claims.sub : null;
  if (!userId) return fail('forbidden', 'Sign in as a team member to send emails');

  const body = await readJsonBody(req, sendEmailRequestSchema, 64 * 1024);
  if (!body.ok) return body.response;

  // The caller's client: RLS decides which customers, templates and threads they may use.
  const db = callerClient(authorization);
  try {
    const outcome = await sendTemplatedEmail(body.value, {
      ...sendEmailDatabase(db, userId, () => serviceClient()),
      from: { email: Deno.env.get('TEAM_FROM_EMAIL') || 'team@cairn.example', name: 'Cairn' },
      send: (email) => sendEmail(email, sendGridOptionsFromEnv()),
    });
    return outcome.ok ? jsonResponse(outcome) : fail(outcome.code, outcome.message);
  } catch (error) {
    console.error('send-email failed', error);
    return fail('internal_error', 'Could not send the email');
  }
});
