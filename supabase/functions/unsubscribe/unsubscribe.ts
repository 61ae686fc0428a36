/**
 * The unsubscribe link's logic: which token a request carries, what it turns off, and the small
 * pages people see. GET only shows a confirmation (link scanners and previews fetch links, so a
 * GET must never change anything); POST — the form's button, or a mailbox provider's RFC 8058
 * one-click POST of `List-Unsubscribe=One-Click` — withdraws the consent.
 *
 * Hosted Supabase serves a function's `text/html` answer to a GET as plain text on its default
 * domain, so in production the GET sends people to the app's own unsubscribe page instead
 * (`UNSUBSCRIBE_PAGE_URL`), which asks and then POSTs back here for a JSON answer.
 */
import { escapeHtml } from '../_shared/html.ts';

export const CONSENT_CHANNELS = ['email', 'sms', 'phone', 'post', 'push'] as const;
export const CONSENT_PURPOSES = ['marketing', 'newsletter', 'alerts', 'profiling'] as const;

export interface ConsentTarget {
  channel: (typeof CONSENT_CHANNELS)[number];
  purpose: (typeof CONSENT_PURPOSES)[number];
}

/** `email:alerts` → { channel: 'email', purpose: 'alerts' }; null for anything else. */
export function consentTargetOf(tokenPurpose: string): ConsentTarget | null {
  const [channel, purpose, extra] = tokenPurpose.split(':');
  if (extra !== undefined) return null;
  const knownChannel = CONSENT_CHANNELS.find((known) => known === channel);
  const knownPurpose = CONSENT_PURPOSES.find((known) => known === purpose);
  return knownChannel && knownPurpose ? { channel: knownChannel, purpose: knownPurpose } : null;
}

/** The token from the query string, else from a form body (`token=`); null when absent. */
export function tokenOf(url: URL, form: URLSearchParams | null): string | null {
  return url.searchParams.get('token') || form?.get('token') || null;
}

export type LinkProblem = 'missing' | 'malformed' | 'bad_signature' | 'expired' | 'unknown_purpose';

/**
 * Where a GET goes when the app hosts the page: the token and what it turns off (`email:alerts`,
 * for the page to say), or what is wrong with the link (`expired`, `invalid`). The page shows
 * these words only; the POST checks the token again.
 */
export function pageRedirect(
  pageUrl: string,
  link: { token: string; target: ConsentTarget } | { problem: LinkProblem },
): Response {
  const url = new URL(pageUrl);
  if ('problem' in link) url.searchParams.set('error', link.problem === 'expired' ? 'expired' : 'invalid');
  else {
    url.searchParams.set('token', link.token);
    url.searchParams.set('purpose', `${link.target.channel}:${link.target.purpose}`);
  }
  return new Response(null, { status: 303, headers: { Location: url.toString(), 'Cache-Control': 'no-store' } });
}

/** The token from a JSON body (`{ "token": … }`), as the app's page sends it; null otherwise. */
export function tokenOfJson(body: unknown): string | null {
  const token = (body as { token?: unknown } | null)?.token;
  return typeof token === 'string' && token ? token : null;
}

/** Whether a POST is the RFC 8058 one-click request (a mailbox provider, no person clicking). */
export function isOneClick(form: URLSearchParams | null): boolean {
  return form?.get('List-Unsubscribe') === 'One-Click';
}

const PURPOSE_LABEL: Record<ConsentTarget['purpose'], string> = {
  alerts: 'back-in-stock and price-drop alerts',
  marketing: 'offers and promotions',
  newsletter: 'the newsletter',
  profiling: 'personalised recommendations',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#1f2933;color:#fff;cursor:pointer}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function confirmPage(target: ConsentTarget, token: string): string {
  return page(
    'Unsubscribe',
    `<p>Stop receiving ${escapeHtml(PURPOSE_LABEL[target.purpose])} by ${escapeHtml(target.channel)}?</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Unsubscribe</button></form>`,
  );
}

export function donePage(target: ConsentTarget): string {
  return page(
    'You are unsubscribed',
    `<p>You will no longer receive ${escapeHtml(PURPOSE_LABEL[target.purpose])} by ${escapeHtml(target.channel)}.</p>`,
  );
}

export function invalidPage(reason: LinkProblem): string {
  const why = reason === 'expired' ? 'This unsubscribe link has expired.' : 'This unsubscribe link is not valid.';
  return page('Link not valid', `<p>${why} Use the link in a more recent email, or contact us.</p>`);
}
