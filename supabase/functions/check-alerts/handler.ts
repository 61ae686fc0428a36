/**
 * check-alerts' request handling, free of Deno.serve and of the Supabase client so `deno test`
 * drives it with fakes: CORS → method → caller (the schedule's X-Cron-Secret or the service
 * role, nobody else: review L-5) → body (time and tuning only for the service role) → the run.
 */
import { fail } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { type CheckRequest, checkRequestSchema, type RunResult } from './check.ts';
import { readScheduledCall, type ScheduledCaller } from '../_shared/scheduled-call.ts';

export interface CheckAlertsDeps {
  /** The function's environment (CRON_SECRET). */
  env: { get(name: string): string | undefined };
  /** Runs the check and sends what is due (./check.ts with the database and mail API bound). */
  run(request: CheckRequest, caller: ScheduledCaller): Promise<RunResult>;
  log(message: string, error: unknown): void;
}

export async function handleCheckAlerts(req: Request, deps: CheckAlertsDeps): Promise<Response> {
  const call = await readScheduledCall(req, deps.env, checkRequestSchema);
  if (!call.ok) return call.response;
  // Pretending it is another time changes who gets what (quiet hours, daily cap).
  if (call.value.now !== undefined && call.caller !== 'service_role') {
    return fail('forbidden', 'now: only the service role may set the time');
  }

  try {
    return jsonResponse(await deps.run(call.value, call.caller));
  } catch (error) {
    // The detail (a database message) goes to the logs, not to the caller.
    deps.log('check-alerts failed', error);
    return fail('internal_error', 'The alert check failed; the function logs say why');
  }
}
