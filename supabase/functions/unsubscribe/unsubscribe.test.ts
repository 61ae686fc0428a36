import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { confirmPage, consentTargetOf, donePage, invalidPage, isOneClick, tokenOf } from './unsubscribe.ts';

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
