/**
 * invite-member's request handling, free of Deno.serve and of the Supabase clients so
 * `deno test` drives it with fakes: CORS → method → the caller's JWT (checked by the auth
 * server) → the caller is an active admin (asked of the database as the caller) → body → the
 * accept-invite address → ./invite.ts.
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { errorResponse, jsonResponse } from '../_shared/http.ts';
import { acceptInviteUrl, inviteMember, inviteRequestSchema, type InvitePorts, refuseUnlessAdmin } from './invite.ts';

/** What the function may learn and do as one caller (bound to their token). */
export interface InviteCaller {
  /** The user the token belongs to, as the auth server says; null when forged, expired, signed out or a key. */
  userId(): Promise<string | null>;
  /** The caller's own team row, as THEY read it. */
  membership(userId: string): Promise<{ role: string; active: boolean } | null>;
  ports(): InvitePorts;
}

export interface InviteMemberDeps {
  caller(authorization: string): InviteCaller;
  /** SITE_URL and ALLOWED_APP_ORIGINS: where invitation links may point. */
  appOrigins: { siteUrl?: string; extraOrigins?: string };
  log(message: string, error: unknown): void;
}

export async function handleInviteMember(req: Request, deps: InviteMemberDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  const caller = deps.caller(req.headers.get('Authorization') ?? '');
  // The auth server, so a forged, expired or signed-out token never gets further (the anon key
  // is a valid JWT but names no user).
  const userId = await caller.userId();
  if (!userId) return fail('invalid_token', 'Sign in as an admin to invite team members');

  try {
    const refusal = refuseUnlessAdmin(await caller.membership(userId));
    if (refusal) return errorResponse(refusal.status, refusal.code, refusal.message);
  } catch (error) {
    deps.log('invite-member could not check the caller', error);
    return fail('internal_error', 'The invitation could not be sent');
  }

  const body = await readJsonBody(req, inviteRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;

  const redirectTo = acceptInviteUrl(
    { redirectTo: body.value.redirect_to, origin: req.headers.get('Origin') },
    deps.appOrigins,
  );
  if (!redirectTo) return fail('invalid_request', 'redirect_to: not an address of this app');

  try {
    const outcome = await inviteMember(body.value, redirectTo, caller.ports());
    if (!outcome.ok) return errorResponse(outcome.status, outcome.code, outcome.message);
    const { ok: _ok, ...invited } = outcome;
    return jsonResponse(invited);
  } catch (error) {
    deps.log('invite-member failed', error);
    return fail('internal_error', 'The invitation could not be sent');
  }
}
