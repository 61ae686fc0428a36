// invite-member: an admin invites a person to the team by email, with a role.
// Wiring only: CORS → method → caller's JWT (checked by the auth server) → caller is an active
// admin (asked of the database as the caller) → body → handler (logic in ./invite.ts, database
// and auth admin calls in ./database.ts).
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { errorResponse, jsonResponse } from '../_shared/http.ts';
import { callerClient, serviceClient } from '../_shared/supabase-clients.ts';
import { callerMembership, invitePorts } from './database.ts';
import { acceptInviteUrl, inviteMember, inviteRequestSchema, refuseUnlessAdmin } from './invite.ts';

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  const authorization = req.headers.get('Authorization') ?? '';
  const db = callerClient(authorization);
  // getUser asks the auth server, so a forged, expired or signed-out token never gets further
  // (the anon key is a valid JWT but names no user).
  const { data: auth } = await db.auth.getUser(authorization.replace(/^Bearer\s+/i, ''));
  if (!auth.user) return fail('invalid_token', 'Sign in as an admin to invite team members');

  try {
    const refusal = refuseUnlessAdmin(await callerMembership(db, auth.user.id));
    if (refusal) return errorResponse(refusal.status, refusal.code, refusal.message);
  } catch (error) {
    console.error('invite-member could not check the caller', error);
    return fail('internal_error', 'The invitation could not be sent');
  }

  const body = await readJsonBody(req, inviteRequestSchema, 16 * 1024);
  if (!body.ok) return body.response;

  const redirectTo = acceptInviteUrl(
    { redirectTo: body.value.redirect_to, origin: req.headers.get('Origin') },
    { siteUrl: Deno.env.get('SITE_URL'), extraOrigins: Deno.env.get('ALLOWED_APP_ORIGINS') },
  );
  if (!redirectTo) return fail('invalid_request', 'redirect_to: not an address of this app');

  // Service role only for the auth admin API (creating an account and sending the email); every
  // read and write of team data goes through the caller's client, under RLS (./database.ts).
  const ports = invitePorts(db, serviceClient().auth.admin);

  try {
    const outcome = await inviteMember(body.value, redirectTo, ports);
    if (!outcome.ok) return errorResponse(outcome.status, outcome.code, outcome.message);
    const { ok: _ok, ...invited } = outcome;
    return jsonResponse(invited);
  } catch (error) {
    console.error('invite-member failed', error);
    return fail('internal_error', 'The invitation could not be sent');
  }
});
