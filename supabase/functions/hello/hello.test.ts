import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { greet, parseHelloRequest, roleFromAuthorization } from './hello.ts';

const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"HS256","typ":"JWT"}', JSON.stringify(claims)]
    .map((part) => btoa(part).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))
    .join('.') + '.signature';

Deno.test('parseHelloRequest accepts a name and trims it', () => {
  deepStrictEqual(parseHelloRequest({ name: '  Ada ' }), { ok: true, value: { name: 'Ada' } });
});

Deno.test('parseHelloRequest accepts exactly 100 characters and refuses 101', () => {
  strictEqual(parseHelloRequest({ name: 'x'.repeat(100) }).ok, true);
  const tooLong = parseHelloRequest({ name: 'x'.repeat(101) });
  strictEqual(tooLong.ok, false);
  if (!tooLong.ok) strictEqual(tooLong.message.startsWith('name: '), true);
});

Deno.test('parseHelloRequest refuses a missing, empty or non-string name and a non-object body', () => {
  for (const body of [{}, { name: '' }, { name: '   ' }, { name: 42 }, null, 'Ada', []]) {
    strictEqual(parseHelloRequest(body).ok, false, JSON.stringify(body));
  }
});

Deno.test('roleFromAuthorization reads the role claim of a bearer JWT', () => {
  strictEqual(roleFromAuthorization(`Bearer ${jwt({ role: 'authenticated', sub: 'u1' })}`), 'authenticated');
  strictEqual(roleFromAuthorization(`bearer ${jwt({ role: 'anon' })}`), 'anon');
});

Deno.test('roleFromAuthorization is null without a usable JWT', () => {
  strictEqual(roleFromAuthorization(null), null);
  strictEqual(roleFromAuthorization('Basic abc'), null);
  strictEqual(roleFromAuthorization('Bearer not-a-jwt'), null);
  strictEqual(roleFromAuthorization(`Bearer ${jwt({ sub: 'no-role' })}`), null);
  strictEqual(roleFromAuthorization(`Bearer ${jwt({ role: 7 })}`), null);
});

Deno.test('greet says hello and echoes the role', () => {
  deepStrictEqual(greet({ name: 'Ada' }, 'anon'), { message: 'Hello Ada', role: 'anon' });
  deepStrictEqual(greet({ name: 'Ada' }, null), { message: 'Hello Ada', role: null });
});
