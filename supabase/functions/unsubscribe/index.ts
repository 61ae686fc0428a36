// unsubscribe: the signed link in every alert email and its RFC 8058 one-click POST
// (config.toml: verify_jwt = false — mail clients have no JWT; the signed token is the proof).
// Wiring only: CORS → method → token check → confirmation page (GET) or withdrawal (POST).
import { corsHeaders, preflight } from '../_shared/cors.ts';
import { fail, readRawBody } from '../_shared/errors.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { unsubscribeSecretFromEnv, verifyUnsubscribeToken } from '../_shared/unsubscribe-token.ts';
import { confirmPage, consentTargetOf, donePage, invalidPage, isOneClick, tokenOf } from './unsubscribe.ts';

const html = (body: string, status = 200) =>
  new Response(body, {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'GET' && req.method !== 'POST') return fail('method_not_allowed', 'Use GET or POST');

  const url = new URL(req.url);
  let form: URLSearchParams | null = null;
  if (req.method === 'POST') {
    const raw = await readRawBody(req, 8 * 1024);
    if (!raw.ok) return raw.response;
    form = new URLSearchParams(new TextDecoder().decode(raw.value));
  }
  const token = tokenOf(url, form);
  if (!token) return html(invalidPage('missing'), 400);
  const verified = await verifyUnsubscribeToken(token, unsubscribeSecretFromEnv());
  if (!verified.ok) return html(invalidPage(verified.reason), verified.reason === 'expired' ? 410 : 400);
  const target = consentTargetOf(verified.claims.purpose);
  if (!target) return html(invalidPage('unknown_purpose'), 400);

  if (req.method === 'GET') return html(confirmPage(target, token));

  // Service role: the person unsubscribing is not signed in; the verified token is their
  // authority, and record_unsubscribe is granted to the service role only.
  const { error } = await serviceClient().rpc('record_unsubscribe', {
    customer_id: verified.claims.customerId,
    channel: target.channel,
    purpose: target.purpose,
    evidence: {
      one_click: isOneClick(form),
      user_agent: req.headers.get('User-Agent')?.slice(0, 300) ?? null,
      ip: req.headers.get('X-Forwarded-For')?.split(',')[0]?.trim() || null,
    },
  });
  if (error) {
    if (error.code === 'P0002') return html(invalidPage('bad_signature'), 404);
    console.error('unsubscribe failed', error);
    return fail('internal_error', 'Could not record the unsubscribe, please try again');
  }
  return html(donePage(target));
});
