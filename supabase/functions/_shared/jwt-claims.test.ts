import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { toBase64, utf8 } from './bytes.ts';
import { jwtClaims } from './jwt-claims.ts';

const part = (text: string) => toBase64(utf8(text), true);
const jwt = (claims: unknown) => `${part('{"alg":"HS256","typ":"JWT"}')}.${part(JSON.stringify(claims))}.signature`;

Deno.test('jwtClaims reads the role and subject of a bearer JWT', () => {
  deepStrictEqual(jwtClaims(`Bearer ${jwt({ role: 'authenticated', sub: 'u1', email: 'a@b.co' })}`), {
    role: 'authenticated',
    sub: 'u1',
  });
  deepStrictEqual(jwtClaims(`bearer ${jwt({ role: 'anon' })}`), { role: 'anon', sub: null });
  // UTF-8 claims decode as UTF-8 (not Latin-1, as atob alone would).
  strictEqual(jwtClaims(`Bearer ${jwt({ role: 'rôle' })}`)?.role, 'rôle');
});

Deno.test('jwtClaims is null without a readable JWT, and claims of the wrong type are null', () => {
  for (const header of [
    null,
    undefined,
    '',
    'Basic abc',
    'Bearer not-a-jwt',
    `Bearer ${part('{}')}`,
    'Bearer a.!!.c',
  ]) {
    strictEqual(jwtClaims(header), null, String(header));
  }
  strictEqual(jwtClaims(`Bearer ${part('{}')}.${part('[1]')}.x`), null);
  strictEqual(jwtClaims(`Bearer ${part('{}')}.${part('not json')}.x`), null);
  deepStrictEqual(jwtClaims(`Bearer ${jwt({ role: 7, sub: { id: 1 } })}`), { role: null, sub: null });
});
