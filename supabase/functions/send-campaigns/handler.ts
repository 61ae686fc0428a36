/**
 * send-campaigns' request handling, free of Deno.serve and of the Supabase client so `deno test`
 * drives it with fakes: CORS → method → caller (the schedule's X-Cron-Secret or the service
 * role, nobody else) → body (time, tuning and the test hooks only for the service role) → the run.
 */
import { fail } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { readScheduledCall, type ScheduledCaller } from '../_shared/scheduled-call.ts';
import { type RunResult, type SendCampaignsRequest, sendCampaignsRequestSchema } from './send.ts';

export interface SendCampaignsDeps {
  env: { get(name: string): string | undefined };
  run(request: SendCampaignsRequest, caller: ScheduledCaller): Promise<RunResult>;
  log(message: string, error: unknown): void;
}

const SERVICE_ONLY = ['now', 'die_after'] as const;

export async function handleSendCampaigns(req: Request, deps: SendCampaignsDeps): Promise<Response> {
  const call = await readScheduledCall(req, deps.env, sendCampaignsRequestSchema);
  if (!call.ok) return call.response;
  for (const field of SERVICE_ONLY) {
    if (call.value[field] !== undefined && call.caller !== 'service_role') {
      return fail('forbidden', `${field}: only the service role may set it`);
    }
  }

  try {
    return jsonResponse(await deps.run(call.value, call.caller));
  } catch (error) {
    deps.log('send-campaigns failed', error);
    return fail('internal_error', 'The campaign run failed; the function logs say why');
  }
}
