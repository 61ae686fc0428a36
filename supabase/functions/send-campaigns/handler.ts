/**
 * send-campaigns' request handling, free of Deno.serve and of the Supabase client so `deno test`
 * drives it with fakes: CORS → method → caller (the schedule's X-Cron-Secret or the service
 * role, nobody else) → body (time, tuning and the test hooks only for the service role) → the run.
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { type ScheduledCaller, scheduledCaller } from '../check-alerts/scheduled-call.ts';
import { type RunResult, type SendCampaignsRequest, sendCampaignsRequestSchema } from './send.ts';

export interface SendCampaignsDeps {
  env: { get(name: string): string | undefined };
  run(request: SendCampaignsRequest, caller: ScheduledCaller): Promise<RunResult>;
  log(message: string, error: unknown): void;
}

const SERVICE_ONLY = ['now', 'die_after'] as const;

export async function handleSendCampaigns(req: Request, deps: SendCampaignsDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  const role = jwtClaims(req.headers.get('Authorization'))?.role ?? null;
  const caller = scheduledCaller(role, req.headers, deps.env);
  if (!caller.ok) return caller.response;

  const body = await readJsonBody(req, sendCampaignsRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  for (const field of SERVICE_ONLY) {
    if (body.value[field] !== undefined && caller.caller !== 'service_role') {
      return fail('forbidden', `${field}: only the service role may set it`);
    }
  }

  try {
    return jsonResponse(await deps.run(body.value, caller.caller));
  } catch (error) {
    deps.log('send-campaigns failed', error);
    return fail('internal_error', 'The campaign run failed; the function logs say why');
  }
}
