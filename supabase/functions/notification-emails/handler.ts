/**
 * notification-emails' request handling, free of Deno.serve and of the Supabase client so
 * `deno test` drives it with fakes: CORS → method → caller (the schedule's X-Cron-Secret or the
 * service role, nobody else) → body (time and tuning only for the service role) → the run.
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { type ScheduledCaller, scheduledCaller } from '../check-alerts/scheduled-call.ts';
import { type RunRequest, type RunResult, runRequestSchema } from './run.ts';

export interface NotificationEmailsDeps {
  env: { get(name: string): string | undefined };
  run(request: RunRequest, caller: ScheduledCaller): Promise<RunResult>;
  log(message: string, error: unknown): void;
}

export async function handleNotificationEmails(req: Request, deps: NotificationEmailsDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  const role = jwtClaims(req.headers.get('Authorization'))?.role ?? null;
  const caller = scheduledCaller(role, req.headers, deps.env);
  if (!caller.ok) return caller.response;

  const body = await readJsonBody(req, runRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  // Pretending it is another time changes whose digest is due.
  if (body.value.now !== undefined && caller.caller !== 'service_role') {
    return fail('forbidden', 'now: only the service role may set the time');
  }

  try {
    return jsonResponse(await deps.run(body.value, caller.caller));
  } catch (error) {
    deps.log('notification-emails failed', error);
    return fail('internal_error', 'Sending notification emails failed; the function logs say why');
  }
}
