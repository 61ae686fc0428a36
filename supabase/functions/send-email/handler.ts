/**
 * send-email's request handling, free of Deno.serve and of the Supabase clients so `deno test`
 * drives it with fakes: CORS → method → a signed-in caller (their JWT, which the platform
 * verified: verify_jwt = true) → body → ./send.ts with the ports bound to that caller.
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { sendEmailRequestSchema, type SendEmailPorts, sendTemplatedEmail } from './send.ts';

export interface SendEmailDeps {
  /** The ports for this caller: their database client (RLS applies), the system's, the mail API. */
  portsFor(authorization: string, userId: string): SendEmailPorts;
  log(message: string, error: unknown): void;
}

export async function handleSendEmail(req: Request, deps: SendEmailDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const authorization = req.headers.get('Authorization') ?? '';
  const claims = jwtClaims(authorization);
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
