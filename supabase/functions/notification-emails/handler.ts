/**
 * notification-emails' request handling, free of Deno.serve and of the Supabase client so
 * `deno test` drives it with fakes: CORS → method → caller (the schedule's X-Cron-Secret or the
 * service role, nobody else) → body (time and tuning only for the service role) → the run.
 */
import { fail } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { readScheduledCall, type ScheduledCaller } from '../_shared/scheduled-call.ts';
import { type RunRequest, type RunResult, runRequestSchema } from './run.ts';

export interface NotificationEmailsDeps {
  env: { get(name: string): string | undefined };
  run(request: RunRequest, caller: ScheduledCaller): Promise<RunResult>;
  log(message: string, error: unknown): void;
}

export async function handleNotificationEmails(req: Request, deps: NotificationEmailsDeps): Promise<Response> {
  const call = await readScheduledCall(req, deps.env, runRequestSchema);
  if (!call.ok) return call.response;
  // Pretending it is another time changes whose digest is due.
  if (call.value.now !== undefined && call.caller !== 'service_role') {
    return fail('forbidden', 'now: only the service role may set the time');
  }

  try {
    return jsonResponse(await deps.run(call.value, call.caller));
  } catch (error) {
    deps.log('notification-emails failed', error);
    return fail('internal_error', 'Sending notification emails failed; the function logs say why');
  }
}
