/**
 * check-alerts' request handling, free of Deno.serve and of the Supabase client so `deno test`
 * drives it with fakes: CORS → method → caller (the schedule's X-Cron-Secret or the service
 * role, nobody else: review L-5) → body (time and tuning only for the service role) → the run.
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { type CheckRequest, checkRequestSchema, type RunResult } from './check.ts';
import { type ScheduledCaller, scheduledCaller } from './scheduled-call.ts';

export interface CheckAlertsDeps {
  /** The function's environment (CRON_SECRET). */
  env: { get(name: string): string | undefined };
  /** Runs the check and sends what is due (./check.ts with the database and mail API bound). */
  run(request: CheckRequest, caller: ScheduledCaller): Promise<RunResult>;
  log(message: string, error: unknown): void;
}

export async function handleCheckAlerts(req: Request, deps: CheckAlertsDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  // Not anonymous (review L-5): any visitor holding the public anon key could drive the engine.
  const role = jwtClaims(req.headers.get('Authorization'))?.role ?? null;
  const caller = scheduledCaller(role, req.headers, deps.env);
  if (!caller.ok) return caller.response;

  const body = await readJsonBody(req, checkRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  // Pretending it is another time changes who gets what (quiet hours, daily cap).
  if (body.value.now !== undefined && caller.caller !== 'service_role') {
    return fail('forbidden', 'now: only the service role may set the time');
  }

  try {
    return jsonResponse(await deps.run(body.value, caller.caller));
  } catch (error) {
    // The detail (a database message) goes to the logs, not to the caller.
    deps.log('check-alerts failed', error);
    return fail('internal_error', 'The alert check failed; the function logs say why');
  }
}
