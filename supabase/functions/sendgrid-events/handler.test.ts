import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { utf8 } from '../_shared/bytes.ts';
import { SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from './event-webhook.ts';
import type { EmailEventRecord } from './events.ts';
import { keyPair } from './fixtures/signing.ts';
import { handleSendGridEvents, type SendGridEventsDeps } from './handler.ts';

const now = new Date(1_700_000_100_000);
const timestamp = String(1_700_000_100);
const url = 'https://ref.supabase.co/functions/v1/sendgrid-events';
const batch = JSON.stringify([
  { email: 'jane@example.com', timestamp: 1700000000, event: 'bounce', sg_event_id: 'Ym91bmNl', reason: '550' },
]);

async function setup(record?: SendGridEventsDeps['record']) {
  const { publicKey, sign } = await keyPair();
  const calls: EmailEventRecord[][] = [];
  const deps: SendGridEventsDeps = {
    publicKey,
    record:
      record ??
      ((records) => {
        calls.push(records);
        return Promise.resolve({ received: records.length, recorded: records.length });
      }),
    now: () => now,
    warn: () => undefined,
    error: () => undefined,
  };
  const post = async (body: string, headers: Record<string, string> = {}) =>
    handleSendGridEvents(
      new Request(url, {
        method: 'POST',
        headers: {
          [SENDGRID_TIMESTAMP_HEADER]: timestamp,
          [SENDGRID_SIGNATURE_HEADER]: await sign(timestamp, utf8(body)),
          ...headers,
        },
        body,
      }),
      deps,
    );
  return { deps, calls, post, sign };
}

const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

Deno.test('a signed batch is recorded as event records and answered with the counts', async () => {
  const { calls, post } = await setup();
  const response = await post(batch);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { received: 1, recorded: 1 });
  strictEqual(calls.length, 1);
  strictEqual(calls[0][0].sg_event_id, 'Ym91bmNl');
  strictEqual(calls[0][0].suppress, true);
  strictEqual(calls[0][0].occurred_at, '2023-11-14T22:13:20.000Z');
});

Deno.test('nothing is recorded without a valid, fresh signature', async () => {
  const { calls, post, sign } = await setup();
  strictEqual(await codeOf(await post(batch, { [SENDGRID_SIGNATURE_HEADER]: '' })), 'missing_signature');
  const signed = await sign(timestamp, utf8(batch));
  strictEqual(await codeOf(await post(`${batch} `, { [SENDGRID_SIGNATURE_HEADER]: signed })), 'invalid_signature');
  const old = String(1_700_000_100 - 600);
  strictEqual(
    await codeOf(
      await post(batch, {
        [SENDGRID_TIMESTAMP_HEADER]: old,
        [SENDGRID_SIGNATURE_HEADER]: await sign(old, utf8(batch)),
      }),
    ),
    'stale_timestamp',
  );
  strictEqual(calls.length, 0);
});

Deno.test('a missing key is a 500 (SendGrid retries); bad JSON and invalid events are 400', async () => {
  const { deps, post } = await setup();
  const keyless = await handleSendGridEvents(new Request(url, { method: 'POST', body: batch }), {
    ...deps,
    publicKey: undefined,
  });
  strictEqual(keyless.status, 500);
  strictEqual(await codeOf(await post('not json')), 'invalid_json');
  strictEqual(await codeOf(await post('[]')), 'invalid_request');
  strictEqual((await handleSendGridEvents(new Request(url), deps)).status, 405);
});

Deno.test('a database that cannot record is a 500, so SendGrid retries the batch', async () => {
  const { post } = await setup(() => Promise.reject(Object.assign(new Error('connection lost'), { code: '08006' })));
  const response = await post(batch);
  strictEqual(response.status, 500);
  strictEqual(await codeOf(response), 'internal_error');
});
