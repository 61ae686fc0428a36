import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import {
  confirmPage,
  consentTargetOf,
  donePage,
  invalidPage,
  isOneClick,
  pageRedirect,
  tokenOf,
  tokenOfJson,
} from './unsubscribe.ts';

Deno.test('consentTargetOf maps channel:purpose and refuses anything else', () => {
  deepStrictEqual(consentTargetOf('email:alerts'), { channel: 'email', purpose: 'alerts' });
  deepStrictEqual(consentTargetOf('sms:marketing'), { channel: 'sms', purpose: 'marketing' });
  for (const bad of ['email', 'email:all', 'fax:alerts', 'email:alerts:x', '', ':'])
    strictEqual(consentTargetOf(bad), null, bad);
});

Deno.test('tokenOf prefers the query string, then the form body', () => {
  strictEqual(tokenOf(new URL('https://x/unsubscribe?token=a.b'), new URLSearchParams('token=c.d')), 'a.b');
  strictEqual(tokenOf(new URL('https://x/unsubscribe'), new URLSearchParams('token=c.d')), 'c.d');
  strictEqual(tokenOf(new URL('https://x/unsubscribe'), null), null);
});

Deno.test('isOneClick recognises the RFC 8058 body only', () => {
  strictEqual(isOneClick(new URLSearchParams('List-Unsubscribe=One-Click')), true);
  strictEqual(isOneClick(new URLSearchParams('token=a')), false);
  strictEqual(isOneClick(null), false);
});

Deno.test('pages: the confirmation posts back with the token (escaped); the others say what happened', () => {
  const page = confirmPage({ channel: 'email', purpose: 'alerts' }, 'a.b"<');
  strictEqual(page.includes('<form method="post" action="?token=a.b%22%3C">'), true);
  strictEqual(page.includes('back-in-stock and price-drop alerts'), true);
  strictEqual(donePage({ channel: 'email', purpose: 'alerts' }).includes('no longer receive'), true);
  strictEqual(invalidPage('expired').includes('expired'), true);
  strictEqual(invalidPage('bad_signature').includes('not valid'), true);
});

Deno.test('pageRedirect sends a GET to the app page with the token and purpose, or what is wrong', () => {
  const ok = pageRedirect('https://crm.example/unsubscribe', {
    token: 'a.b',
    target: { channel: 'email', purpose: 'alerts' },
  });
  strictEqual(ok.status, 303);
  const location = new URL(ok.headers.get('Location') ?? '');
  strictEqual(location.origin + location.pathname, 'https://crm.example/unsubscribe');
  strictEqual(location.searchParams.get('token'), 'a.b');
  strictEqual(location.searchParams.get('purpose'), 'email:alerts');
  const expired = new URL(
    pageRedirect('https://crm.example/unsubscribe', { problem: 'expired' }).headers.get('Location') ?? '',
  );
  strictEqual(expired.searchParams.get('error'), 'expired');
  strictEqual(expired.searchParams.has('token'), false);
  const forged = new URL(
    pageRedirect('https://crm.example/unsubscribe', { problem: 'bad_signature' }).headers.get('Location') ?? '',
  );
  strictEqual(forged.searchParams.get('error'), 'invalid');
});

Deno.test('tokenOfJson reads a non-empty token string only', () => {
  strictEqual(tokenOfJson({ token: 'a.b' }), 'a.b');
  for (const bad of [{ token: '' }, { token: 3 }, {}, null, 'a.b', []]) strictEqual(tokenOfJson(bad), null);
});
