import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { z } from 'zod';
import { fail, parseJsonBytes, readJsonBody, readRawBody, validate } from './errors.ts';
import { utf8 } from './bytes.ts';

const schema = z.object({ name: z.string().min(1), customer: z.object({ email: z.email() }) });

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

function post(body: BodyInit, headers: HeadersInit = {}): Request {
  return new Request('http://localhost/x', { method: 'POST', body, headers });
}

/** A streamed body with no Content-Length, as chunked uploads arrive. */
function streamed(chunks: string[]): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(utf8(chunk));
      controller.close();
    },
  });
  return new Request('http://localhost/x', { method: 'POST', body: stream });
}

Deno.test('fail answers the stable shape with the code’s status and CORS headers', async () => {
  const response = fail('payload_too_large', 'too big');
  strictEqual(response.headers.get('Access-Control-Allow-Origin'), '*');
  strictEqual(response.headers.get('Content-Type'), 'application/json');
  deepStrictEqual(await errorOf(response), { status: 413, code: 'payload_too_large', message: 'too big' });
});

Deno.test('readRawBody returns the exact bytes within the limit', async () => {
  const result = await readRawBody(post('{"a": 1}'), 8);
  strictEqual(result.ok, true);
  if (result.ok) strictEqual(new TextDecoder().decode(result.value), '{"a": 1}');
});

Deno.test('readRawBody refuses a body one byte over the limit with 413, declared or streamed', async () => {
  const declared = await readRawBody(post('123456789'), 8);
  strictEqual(declared.ok, false);
  if (!declared.ok) strictEqual((await errorOf(declared.response)).code, 'payload_too_large');
  const chunked = await readRawBody(streamed(['1234', '5678', '9']), 8);
  strictEqual(chunked.ok, false);
  if (!chunked.ok) strictEqual(chunked.response.status, 413);
  const exact = await readRawBody(streamed(['1234', '5678']), 8);
  strictEqual(exact.ok, true);
});

Deno.test('parseJsonBytes refuses malformed JSON and invalid UTF-8 with 400 invalid_json', async () => {
  for (const bytes of [utf8('{"a":'), utf8(''), new Uint8Array([0x7b, 0xff, 0x7d])]) {
    const result = parseJsonBytes(bytes);
    strictEqual(result.ok, false);
    if (!result.ok) deepStrictEqual((await errorOf(result.response)).code, 'invalid_json');
  }
  deepStrictEqual(parseJsonBytes(utf8('[1,"é"]')), { ok: true, value: [1, 'é'] });
});

Deno.test('validate names the failing field in a 400 invalid_request', async () => {
  const result = validate(schema, { name: 'x', customer: { email: 'nope' } });
  strictEqual(result.ok, false);
  if (!result.ok) {
    const error = await errorOf(result.response);
    strictEqual(error.status, 400);
    strictEqual(error.code, 'invalid_request');
    strictEqual(error.message.startsWith('customer.email: '), true, error.message);
  }
  const whole = validate(schema, 'not an object');
  if (!whole.ok) strictEqual((await errorOf(whole.response)).message.startsWith('body: '), true);
  else throw new Error('a string must not validate');
});

Deno.test('readJsonBody chains limit, JSON and schema', async () => {
  const good = await readJsonBody(post(JSON.stringify({ name: 'a', customer: { email: 'a@b.co' } })), schema);
  deepStrictEqual(good, { ok: true, value: { name: 'a', customer: { email: 'a@b.co' } } });
  const bad = await readJsonBody(post('{'), schema);
  strictEqual(bad.ok ? 0 : bad.response.status, 400);
  const big = await readJsonBody(post(JSON.stringify({ name: 'x'.repeat(100) })), schema, 50);
  strictEqual(big.ok ? 0 : big.response.status, 413);
});
