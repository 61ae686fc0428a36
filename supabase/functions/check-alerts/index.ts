// check-alerts: scheduled every 5 minutes (pg_cron + pg_net, see the schedule migrations).
// Runs the SQL alert check, then sends the due alert emails through SendGrid.
// Wiring only: CORS → method → caller (the schedule's X-Cron-Secret or the service role, nobody
// else) → body (time and tuning only for the service role) → handler (logic in ./check.ts,
// database access in ./database.ts).
import { buildAlertEmail, templateCatalog } from './alert-email.ts';
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { scheduledCaller } from './scheduled-call.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { unsubscribeSecretFromEnv } from '../_shared/unsubscribe-token.ts';
import { checkRequestSchema, runAlertCheck, runOptionsFor } from './check.ts';
import { alertStore, alertTemplates } from './database.ts';

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  // Not anonymous (review L-5): any visitor holding the public anon key could drive the engine.
  const caller = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers);
  if (!caller.ok) return caller.response;

  const body = await readJsonBody(req, checkRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  const request = body.value;
  // Pretending it is another time changes who gets what (quiet hours, daily cap).
  if (request.now !== undefined && caller.caller !== 'service_role') {
    return fail('forbidden', 'now: only the service role may set the time');
  }

  // Service role: the engine acts for every shopper and writes alert_log (./database.ts).
  const db = serviceClient();
  try {
    const templates = await alertTemplates(db);
    const emailOptions = {
      catalog: templateCatalog(templates.rows),
      defaultLanguage: templates.defaultLanguage,
      from: { email: Deno.env.get('ALERT_FROM_EMAIL') || 'alerts@cairn.example', name: 'Cairn' },
      functionsUrl: `${Deno.env.get('SUPABASE_URL')}/functions/v1`,
      unsubscribeSecret: unsubscribeSecretFromEnv(),
    };
    const sendGrid = sendGridOptionsFromEnv();
    const result = await runAlertCheck(
      alertStore(db),
      (alert) => buildAlertEmail(alert, emailOptions),
      (email) => sendEmail(email, sendGrid),
      { ...runOptionsFor(request, caller.caller), concurrency: 16 },
    );
    return jsonResponse(result);
  } catch (error) {
    // The detail (a database message) goes to the logs, not to the caller.
    console.error('check-alerts failed', error);
    return fail('internal_error', 'The alert check failed; the function logs say why');
  }
});
