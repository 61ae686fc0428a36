/**
 * send-email's request handling, free of Deno.serve and of the Supabase clients so `deno test`
 * drives it with fakes: CORS → method → a signed-in caller (their JWT, which the platform
 * verified: verify_jwt = true) → body → ./send.ts with the ports bound to that caller. The
 * scheduled mode (`{"source":"automation"}`, the schedule's X-Cron-Secret or the service role)
 * sends the automation engine's queued emails (./automation.ts).
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { scheduledCaller, CRON_SECRET_HEADER } from '../_shared/scheduled-call.ts';
import { automationRequestSchema, type AutomationPorts, sendFlowEmails } from './automation.ts';
import { sendEmailRequestSchema, type SendEmailPorts, sendTemplatedEmail } from './send.ts';

export interface SendEmailDeps {
  /** The ports for this caller: their database client (RLS applies), the system's, the mail API. */
  portsFor(authorization: string, userId: string): SendEmailPorts;
  /** The scheduled mode's ports (the automation engine's emails), bound to the service role. */
  automationPorts?(): AutomationPorts;
  /** The function's environment (CRON_SECRET). */
  env?: { get(name: string): string | undefined };
  log(message: string, error: unknown): void;
}

/**
 * The scheduled mode (`{"source":"automation"}`): only the schedule's X-Cron-Secret or the
 * service role, like check-alerts (review L-5).
 */
async function handleAutomation(req: Request, role: string | null, deps: SendEmailDeps): Promise<Response> {
  const caller = scheduledCaller(role, req.headers, deps.env ?? Deno.env);
  if (!caller.ok) return caller.response;
  const body = await readJsonBody(req, automationRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;
  if (!deps.automationPorts) return fail('internal_error', 'The automation sender is not configured');
  try {
    // The schedule always runs with the defaults; only the service role may tune or use the test hook.
    const request =
      caller.caller === 'service_role' ? body.value : { source: body.value.source, batch_size: body.value.batch_size };
    return jsonResponse(await sendFlowEmails(request, deps.automationPorts()));
  } catch (error) {
    deps.log('send-email (automation) failed', error);
    return fail('internal_error', 'Sending the automation emails failed; the function logs say why');
  }
}

async function asksForAutomation(req: Request): Promise<boolean> {
  const peek = (await req
    .clone()
    .json()
    .catch(() => null)) as { source?: unknown } | null;
  return peek?.source === 'automation';
}

export async function handleSendEmail(req: Request, deps: SendEmailDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const authorization = req.headers.get('Authorization') ?? '';
  const claims = jwtClaims(authorization);
  // The schedule (its secret) always means the scheduled mode; the service role only when it
  // asks for it — a team member's body from the service role stays refused below.
  if (req.headers.has(CRON_SECRET_HEADER) || (claims?.role === 'service_role' && (await asksForAutomation(req)))) {
    return handleAutomation(req, claims?.role ?? null, deps);
  }
  const userId = claims?.role === 'authenticated' ? claims.sub : null;
  if (!userId) return fail('forbidden', 'Sign in as a team member to send emails');

  const body = await readJsonBody(req, sendEmailRequestSchema, 64 * 1024);
  if (!body.ok) return body.response;

  try {
    const outcome = await sendTemplatedEmail(body.value, deps.portsFor(authorization, userId));
    return outcome.ok ? jsonResponse(outcome) : fail(outcome.code, outcome.message);
  } catch (error) {
    deps.log('send-email failed', error);
    return fail('internal_error', 'Could not send the email');
  }
}
