import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { utf8 } from './bytes.ts';
import { isContentError, parseStorableJson, storableCopy, storableString } from './storable-json.ts';

Deno.test('NUL and unpaired surrogates become U+FFFD; pairs (emoji) stay', () => {
  strictEqual(storableString('a\u0000b'), 'a\ufffdb');
  strictEqual(storableString('\ud800x\udfff'), '\ufffdx\ufffd');
  strictEqual(storableString('\ud83d\ude00'), '😀');
  strictEqual(storableString('\ud83d\u0000\ude00'), '\ufffd\ufffd\ufffd');
  strictEqual(storableString('plain'), 'plain');
});

Deno.test('a body without suspect escapes is parsed as it is, not copied', () => {
  const parsed = parseStorableJson(utf8('{"note":"\\u0026 fine \\ud83d\\ude00"}'));
  if (!parsed.ok) throw new Error('not parsed');
  strictEqual(parsed.value.sanitised, false);
  deepStrictEqual(parsed.value.value, { note: '& fine 😀' });
});

Deno.test('escaped NUL and lone surrogates are replaced in values and keys; the text stays as sent', () => {
  const text = '{"n\\u0000k":["a\\u0000",{"x":"\\ud800"}],"ok":1,"__proto__":{"y":"\\udc00"}}';
  const parsed = parseStorableJson(utf8(text));
  if (!parsed.ok) throw new Error('not parsed');
  strictEqual(parsed.value.sanitised, true);
  strictEqual(parsed.value.text, text);
  strictEqual(
    JSON.stringify(parsed.value.value),
    '{"n\ufffdk":["a\ufffd",{"x":"\ufffd"}],"ok":1,"__proto__":{"y":"\ufffd"}}',
  );
});

Deno.test('a paired surrogate written as escapes is flagged by the scan but left unchanged', () => {
  const parsed = parseStorableJson(utf8('{"a":"\\ud83d\\ude00"}'));
  if (!parsed.ok) throw new Error('not parsed');
  strictEqual(parsed.value.sanitised, false);
});

Deno.test('a 100 000-deep value is copied without overflowing the stack', () => {
  const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`);
  const { value, changed } = storableCopy(deep);
  strictEqual(changed, true);
  let inner: unknown = value;
  for (let i = 0; i < 100_000; i += 1) inner = (inner as unknown[])[0];
  strictEqual(inner, '\ufffd');
});

Deno.test('invalid UTF-8 or JSON is still a 400 invalid_json', async () => {
  for (const bytes of [new Uint8Array([0x7b, 0xff, 0x7d]), utf8('{"a":')]) {
    const parsed = parseStorableJson(bytes);
    strictEqual(parsed.ok, false);
    if (!parsed.ok) strictEqual(parsed.response.status, 400);
    if (!parsed.ok) await parsed.response.body?.cancel();
  }
});

Deno.test(
  'content errors: Postgres data exceptions and program limits, and stack overflows; not connection errors',
  () => {
    for (const code of ['22P05', '22P02', '22021', '54001', '54000']) strictEqual(isContentError({ code }), true, code);
    strictEqual(isContentError(new RangeError('Maximum call stack size exceeded')), true);
    for (const error of [
      new Error('connection refused'),
      { code: '57P01' },
      { code: '08006' },
      { code: 'ECONNRESET' },
      null,
    ]) {
      strictEqual(isContentError(error), false);
    }
  },
);
