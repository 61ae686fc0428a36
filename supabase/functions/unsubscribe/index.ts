// unsubscribe: the signed link in every alert email and its RFC 8058 one-click POST
// (config.toml: verify_jwt = false — mail clients have no JWT; the signed token is the proof).
// Wiring only: CORS → method → token check → confirmation page (GET) or withdrawal (POST).
// With UNSUBSCRIBE_PAGE_URL set (production: hosted Supabase shows a function's HTML as text),
// a GET is sent to the app's page, which POSTs JSON back and gets JSON answers.
import { requestEvidence } from './client-address.ts';
import { corsHeaders, preflight } from '../_shared/cors.ts';
import { fail, parseJsonBytes, readRawBody } from '../_shared/errors.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { unsubscribeSecretFromEnv, verifyUnsubscribeToken } from '../_shared/unsubscribe-token.ts';
import { recordUnsubscribe } from './database.ts';
import {
  confirmPage,
  consentTargetOf,
  donePage,
  invalidPage,
  isOneClick,
  type LinkProblem,
  pageRedirect,
  tokenOf,
  tokenOfJson,
} from './unsubscribe.ts';

const html = (body: string, status = 200) =>
  new Response(body, {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });

const pageUrl = Deno.env.get('UNSUBSCRIBE_PAGE_URL') || null;

const problemMessage: Record<LinkProblem, string> = {
  missing: 'The unsubscribe link has no token',
  malformed: 'The unsubscribe link is not valid',
  bad_signature: 'The unsubscribe link is not valid',
  unknown_purpose: 'The unsubscribe link is not valid',
  expired: 'The unsubscribe link has expired',
};

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'GET' && req.method !== 'POST') return fail('method_not_allowed', 'Use GET or POST');

  const url = new URL(req.url);
  // The app's page sends JSON and reads JSON; links and mailbox providers get pages.
  const json = (req.headers.get('Content-Type') ?? '').startsWith('application/json');
  let form: URLSearchParams | null = null;
  let jsonToken: string | null = null;
  if (req.method === 'POST') {
    const raw = await readRawBody(req, 8 * 1024);
    if (!raw.ok) return raw.response;
    if (json) {
      const parsed = parseJsonBytes(raw.value);
      if (!parsed.ok) return parsed.response;
      jsonToken = tokenOfJson(parsed.value);
    } else form = new URLSearchParams(new TextDecoder().decode(raw.value));
  }
  const refuse = (problem: LinkProblem) => {
    if (json) return fail(problem === 'expired' ? 'expired_token' : 'invalid_token', problemMessage[problem]);
    if (req.method === 'GET' && pageUrl) return pageRedirect(pageUrl, { problem });
    return html(invalidPage(problem), problem === 'expired' ? 410 : 400);
  };

  const token = jsonToken ?? tokenOf(url, form);
  if (!token) return refuse('missing');
  const verified = await verifyUnsubscribeToken(token, unsubscribeSecretFromEnv());
  if (!verified.ok) return refuse(verified.reason);
  const target = consentTargetOf(verified.claims.purpose);
  if (!target) return refuse('unknown_purpose');

  if (req.method === 'GET')
    return pageUrl ? pageRedirect(pageUrl, { token, target }) : html(confirmPage(target, token));

  // Service role: the person unsubscribing is not signed in; the verified token is their
  // authority (./database.ts).
  const { error } = await recordUnsubscribe(serviceClient(), verified.claims.customerId, target, {
    one_click: isOneClick(form),
    ...requestEvidence(req.headers),
  });
  if (error) {
    if (error.code === 'P0002')
      return json ? fail('not_found', 'This customer no longer exists') : html(invalidPage('bad_signature'), 404);
    console.error('unsubscribe failed', error);
    return fail('internal_error', 'Could not record the unsubscribe, please try again');
  }
  if (json)
    return Response.json(
      { unsubscribed: true, ...target },
      { headers: { ...corsHeaders, 'Cache-Control': 'no-store' } },
    );
  return html(donePage(target));
});
