import { strictEqual } from 'node:assert/strict';
import { escapeHtml, isHttpUrl } from './html.ts';

Deno.test('escapeHtml escapes the five HTML-significant characters', () => {
  strictEqual(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});

Deno.test('isHttpUrl accepts absolute http(s) URLs only', () => {
  for (const ok of ['http://a.test', 'https://a.test/p?q=1#f', 'HTTPS://A.TEST']) strictEqual(isHttpUrl(ok), true, ok);
  for (const bad of [
    '',
    'javascript:alert(1)',
    ' https://a.test',
    'https:/a',
    'ftp://a.test',
    'https://',
    '/relative',
  ]) {
    strictEqual(isHttpUrl(bad), false, bad);
  }
});
