import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { toBase64, utf8 } from '../_shared/bytes.ts';
import { CRON_SECRET_HEADER, type ScheduledCaller } from '../_shared/scheduled-call.ts';
import { handleSendCampaigns, type SendCampaignsDeps } from './handler.ts';
import type { RunResult, SendCampaignsRequest } from './send.ts';

const SECRET = 'a-cron-secret-of-forty-characters-000000';
const part = (value: unknown) => toBase64(utf8(JSON.stringify(value)), true);
const key = (role: string) => `Bearer ${part({ alg: 'HS256' })}.${part({ role })}.sig`;
const result: RunResult = {
  resolved: 0,
  claimed: 0,
  sent: 0,
  failed: 0,
  retried: 0,
  in_doubt: 0,
  batches: 0,
  requests: 0,
  throttled: false,
  died: false,
  ms: 1,
};

function fakes(fail = false) {
  const runs: Array<[SendCampaignsRequest, ScheduledCaller]> = [];
  const deps: SendCampaignsDeps = {
    env: { get: (name) => (name === 'CRON_SECRET' ? SECRET : undefined) },
    run: (request, caller) => {
      runs.push([request, caller]);
      return fail ? Promise.reject(new Error('db down: secret detail')) : Promise.resolve(result);
    },
    log: () => undefined,
  };
  return { deps, runs };
}

const call = (
  deps: SendCampaignsDeps,
  headers: Record<string, string>,
  body: BodyInit | null = '{}',
  method = 'POST',
) =>
  handleSendCampaigns(
    new Request('https://ref.supabase.co/functions/v1/send-campaigns', {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: method === 'GET' ? null : body,
    }),
    deps,
  );

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

Deno.test('the schedule and the service role run; the result is the answer', async () => {
  const { deps, runs } = fakes();
  const scheduled = await call(deps, { Authorization: key('anon'), [CRON_SECRET_HEADER]: SECRET });
  deepStrictEqual(await scheduled.json(), result);
  const service = await call(
    deps,
    { Authorization: key('service_role') },
    JSON.stringify({ now: '2030-01-01T00:00:00Z' }),
  );
  strictEqual(service.status, 200);
  deepStrictEqual(runs, [
    [{}, 'schedule'],
    [{ now: '2030-01-01T00:00:00Z' }, 'service_role'],
  ]);
});

Deno.test('anybody else is refused, and nothing runs', async () => {
  const { deps, runs } = fakes();
  strictEqual((await errorOf(await call(deps, { Authorization: key('anon') }))).code, 'forbidden');
  strictEqual((await errorOf(await call(deps, { Authorization: key('authenticated') }))).code, 'forbidden');
  strictEqual(
    (await errorOf(await call(deps, { Authorization: key('anon'), [CRON_SECRET_HEADER]: 'wrong' }))).code,
    'invalid_token',
  );
  // The schedule's secret cannot move the clock or kill runs.
  for (const body of [{ now: '2030-01-01T00:00:00Z' }, { die_after: 1 }]) {
    const response = await call(
      deps,
      { Authorization: key('anon'), [CRON_SECRET_HEADER]: SECRET },
      JSON.stringify(body),
    );
    strictEqual(response.status, 403);
  }
  strictEqual(runs.length, 0);
});

Deno.test('bad input is refused with the stable error shape (fuzz)', async () => {
  const { deps, runs } = fakes();
  const service = { Authorization: key('service_role') };
  const bodies: Array<[string, string]> = [
    ['not json', 'invalid_json'],
    ['[]', 'invalid_request'],
    ['null', 'invalid_request'],
    ['"text"', 'invalid_request'],
    [JSON.stringify({ batch_size: 0 }), 'invalid_request'],
    [JSON.stringify({ batch_size: 1.5 }), 'invalid_request'],
    [JSON.stringify({ batch_size: 5000 }), 'invalid_request'],
    [JSON.stringify({ max_seconds: -1 }), 'invalid_request'],
    [JSON.stringify({ rate_per_second: 'fast' }), 'invalid_request'],
    [JSON.stringify({ settle_seconds: 99999 }), 'invalid_request'],
    [JSON.stringify({ now: 'yesterday' }), 'invalid_request'],
    [JSON.stringify({ unknown: true }), 'invalid_request'],
    [JSON.stringify({ source: 'x'.repeat(51) }), 'invalid_request'],
    [JSON.stringify({ source: 'x'.repeat(20_000) }), 'payload_too_large'],
  ];
  // Random bytes and random JSON-ish values: always a 4xx with { error: { code, message } }.
  for (let i = 0; i < 200; i += 1) {
    const bytes = crypto.getRandomValues(new Uint8Array(1 + (i % 64)));
    bodies.push([new TextDecoder().decode(bytes), '']);
    bodies.push([JSON.stringify({ batch_size: Math.random() * 1e6 - 5e5, max_seconds: i % 3 ? 'x' : -i }), '']);
  }
  for (const [body, code] of bodies) {
    const response = await call(deps, service, body);
    strictEqual(response.status >= 400 && response.status < 500, true, body);
    const error = await errorOf(response);
    strictEqual(typeof error.message, 'string');
    if (code) strictEqual(error.code, code, body);
  }
  strictEqual((await errorOf(await call(deps, service, null, 'GET'))).code, 'method_not_allowed');
  strictEqual(runs.length, 0);
});

Deno.test('a failing run answers internal_error without its detail', async () => {
  const { deps } = fakes(true);
  const response = await call(deps, { Authorization: key('service_role') });
  strictEqual(response.status, 500);
  const error = await errorOf(response);
  strictEqual(error.code, 'internal_error');
  strictEqual(error.message.includes('secret detail'), false);
});
