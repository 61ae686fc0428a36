// check-alerts: scheduled every 5 minutes (pg_cron + pg_net, see the schedule migrations).
// Runs the SQL alert check, then sends the due alert emails through SendGrid.
// Wiring only: CORS → method → caller (the schedule's X-Cron-Secret or the service role, nobody
// else) → body (time and tuning only for the service role) → handler.
import { buildAlertEmail, type ClaimedAlert, templateCatalog, type TemplateVariantRow } from './alert-email.ts';
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { scheduledCaller } from './scheduled-call.ts';
import { jwtRole, serviceClient } from '../_shared/supabase-clients.ts';
import { unsubscribeSecretFromEnv } from '../_shared/unsubscribe-token.ts';
import { type AlertStore, checkRequestSchema, runAlertCheck, runOptionsFor } from './check.ts';

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  // Not anonymous (review L-5): any visitor holding the public anon key could drive the engine.
  const caller = scheduledCaller(jwtRole(req.headers.get('Authorization')), req.headers);
  if (!caller.ok) return caller.response;

  const body = await readJsonBody(req, checkRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  const request = body.value;
  // Pretending it is another time changes who gets what (quiet hours, daily cap).
  if (request.now !== undefined && caller.caller !== 'service_role') {
    return fail('forbidden', 'now: only the service role may set the time');
  }

  // Service role: the engine acts for every shopper and writes alert_log, which only the system
  // may write; the SQL functions it calls are granted to the service role alone.
  const db = serviceClient();
  try {
    const [templates, settings] = await Promise.all([
      db.from('email_template_variants').select('language, subject, body_text, body_html, email_templates!inner(key)'),
      db.from('workspace_settings').select('default_language').single(),
    ]);
    if (templates.error) throw templates.error;
    if (settings.error) throw settings.error;
    const rows = (
      templates.data as unknown as Array<Omit<TemplateVariantRow, 'key'> & { email_templates: { key: string } }>
    ).map((row) => ({ ...row, key: row.email_templates.key }));
    const emailOptions = {
      catalog: templateCatalog(rows),
      defaultLanguage: (settings.data as { default_language: string }).default_language,
      from: { email: Deno.env.get('ALERT_FROM_EMAIL') || 'alerts@cairn.example', name: 'Cairn' },
      functionsUrl: `${Deno.env.get('SUPABASE_URL')}/functions/v1`,
      unsubscribeSecret: unsubscribeSecretFromEnv(),
    };
    const sendGrid = sendGridOptionsFromEnv();
    const store: AlertStore = {
      async runCheck(now, maxEvents) {
        const { data, error } = await db.rpc('run_alert_check', { max_events: maxEvents, ...(now ? { now } : {}) });
        if (error) throw error;
        return (data as Array<{ events: number; queued: number; suppressed: number }>)[0];
      },
      async claim(batchSize, now) {
        const { data, error } = await db.rpc('claim_due_alerts', { batch_size: batchSize, ...(now ? { now } : {}) });
        if (error) throw error;
        return data as ClaimedAlert[];
      },
      async record(outcomes, now) {
        const { error } = await db.rpc('record_alert_sends', { results: outcomes, ...(now ? { now } : {}) });
        if (error) throw error;
      },
    };
    const result = await runAlertCheck(
      store,
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
