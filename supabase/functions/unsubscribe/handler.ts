/**
 * The unsubscribe function's request handling, free of Deno.serve and of the database client so
 * `deno test` drives it with fakes: which answer a request gets (a page, a redirect to the app's
 * page, or JSON), and when the consent is withdrawn — only on POST, with a verified token
 * (./unsubscribe.ts says why a GET never changes anything).
 */
import { corsHeaders, preflight } from '../_shared/cors.ts';
import { fail, parseJsonBytes, readRawBody } from '../_shared/errors.ts';
import { verifyUnsubscribeToken } from '../_shared/unsubscribe-token.ts';
import { requestEvidence } from './client-address.ts';
import {
  type ConsentTarget,
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

export interface UnsubscribeDeps {
  /** UNSUBSCRIBE_PAGE_URL: where a GET is sent (the app's page); null: the function's own pages. */
  pageUrl: string | null;
  /** The secret unsubscribe tokens are signed with (read when a token is there to check). */
  secret(): string;
  /** Withdraws the consent; the database's error, if any (P0002: the customer no longer exists). */
  record(
    customerId: string,
    target: ConsentTarget,
    evidence: Record<string, string | boolean | null>,
  ): Promise<{ error: { code: string; message: string } | null }>;
  log(message: string, error: unknown): void;
}

const html = (body: string, status = 200) =>
  new Response(body, {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });

const problemMessage: Record<LinkProblem, string> = {
  missing: 'The unsubscribe link has no token',
  malformed: 'The unsubscribe link is not valid',
  bad_signature: 'The unsubscribe link is not valid',
  unknown_purpose: 'The unsubscribe link is not valid',
  expired: 'The unsubscribe link has expired',
};

export async function handleUnsubscribe(req: Request, deps: UnsubscribeDeps): Promise<Response> {
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
    if (req.method === 'GET' && deps.pageUrl) return pageRedirect(deps.pageUrl, { problem });
    return html(invalidPage(problem), problem === 'expired' ? 410 : 400);
  };

  const token = jsonToken ?? tokenOf(url, form);
  if (!token) return refuse('missing');
  const verified = await verifyUnsubscribeToken(token, deps.secret());
  if (!verified.ok) return refuse(verified.reason);
  const target = consentTargetOf(verified.claims.purpose);
  if (!target) return refuse('unknown_purpose');

  if (req.method === 'GET')
    return deps.pageUrl ? pageRedirect(deps.pageUrl, { token, target }) : html(confirmPage(target, token));

  const { error } = await deps.record(verified.claims.customerId, target, {
    one_click: isOneClick(form),
    ...requestEvidence(req.headers),
  });
  if (error) {
    if (error.code === 'P0002')
      return json ? fail('not_found', 'This customer no longer exists') : html(invalidPage('bad_signature'), 404);
    deps.log('unsubscribe failed', error);
    return fail('internal_error', 'Could not record the unsubscribe, please try again');
  }
  if (json)
    return Response.json(
      { unsubscribed: true, ...target },
      { headers: { ...corsHeaders, 'Cache-Control': 'no-store' } },
    );
  return html(donePage(target));
}
