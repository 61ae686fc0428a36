import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { sendGridEventsSchema } from './event-webhook.ts';
import { ORIGINAL_EVENT_KEY, recordEvents, toEventRecords, withOriginalEvents } from './events.ts';

const parse = (events: unknown[]) => sendGridEventsSchema.parse(events);

Deno.test('maps an event to the row record_email_events takes', () => {
  const [record] = toEventRecords(
    parse([
      {
        email: 'ana@example.test',
        timestamp: 1_900_000_000,
        event: 'click',
        sg_event_id: 'e1',
        sg_message_id: 'abc123.filter0001.1',
        url: 'https://shop.example/p',
        alert_id: '42',
      },
    ]),
  );
  deepStrictEqual(
    { ...record, payload: undefined },
    {
      sg_event_id: 'e1',
      event: 'click',
      email: 'ana@example.test',
      occurred_at: '2030-03-17T17:46:40.000Z',
      message_id: 'abc123',
      alert_id: 42,
      url: 'https://shop.example/p',
      reason: null,
      suppress: false,
      payload: undefined,
    },
  );
  strictEqual(record.payload.alert_id, '42');
});

Deno.test('hard bounces, spam reports and unsubscribes suppress; blocked bounces and opens do not', () => {
  const base = { email: 'a@example.test', timestamp: 1, sg_event_id: 'x' };
  const suppress = (fields: Record<string, unknown>) => toEventRecords(parse([{ ...base, ...fields }]))[0].suppress;
  strictEqual(suppress({ event: 'bounce', type: 'bounce' }), true);
  strictEqual(suppress({ event: 'bounce', type: 'blocked' }), false);
  strictEqual(suppress({ event: 'spamreport' }), true);
  strictEqual(suppress({ event: 'unsubscribe' }), true);
  strictEqual(suppress({ event: 'open' }), false);
});

Deno.test('an alert_id that is not a positive integer is dropped, not trusted', () => {
  const base = { email: 'a@example.test', timestamp: 1, sg_event_id: 'x', event: 'open' };
  for (const alertId of ['0', '-1', '1.5', 'abc', '', '12345678901234567890']) {
    strictEqual(toEventRecords(parse([{ ...base, alert_id: alertId }]))[0].alert_id, null, alertId);
  }
  strictEqual(toEventRecords(parse([{ ...base, alert_id: 7 }]))[0].alert_id, null);
  strictEqual(toEventRecords(parse([base]))[0].message_id, null);
});

const record = (id: string) => ({
  sg_event_id: id,
  event: 'open',
  email: 'ana@example.test',
  occurred_at: '2030-03-17T17:46:40.000Z',
  message_id: null,
  alert_id: null,
  url: null,
  reason: null,
  suppress: false,
  payload: { id },
});
const tooDeep = Object.assign(new Error('stack depth limit exceeded'), { code: '54001' });

Deno.test('a batch the database takes is recorded in one call', async () => {
  const calls: string[][] = [];
  const result = await recordEvents(
    [record('a'), record('b')],
    (records) => {
      calls.push(records.map((r) => r.sg_event_id));
      return Promise.resolve({ received: records.length, recorded: records.length });
    },
    () => undefined,
  );
  deepStrictEqual(result, { received: 2, recorded: 2 });
  deepStrictEqual(calls, [['a', 'b']]);
});

Deno.test(
  'one event the database cannot store: the others as sent, that one as a placeholder with the error',
  async () => {
    const stored: Array<{ id: string; payload: unknown }> = [];
    const result = await recordEvents(
      [record('a'), record('bad'), record('c')],
      (records) => {
        if (records.some((r) => (r.payload as { id?: string }).id === 'bad')) return Promise.reject(tooDeep);
        stored.push(...records.map((r) => ({ id: r.sg_event_id, payload: r.payload })));
        return Promise.resolve({ received: records.length, recorded: records.length });
      },
      () => undefined,
    );
    deepStrictEqual(result, { received: 3, recorded: 3 });
    deepStrictEqual(stored, [
      { id: 'a', payload: { id: 'a' } },
      { id: 'bad', payload: { not_stored: '54001: stack depth limit exceeded' } },
      { id: 'c', payload: { id: 'c' } },
    ]);
  },
);

Deno.test('an error that is not about the content is thrown (the batch is answered 5xx and retried)', async () => {
  let threw = false;
  try {
    await recordEvents(
      [record('a')],
      () => Promise.reject({ code: '08006', message: 'connection failure' }),
      () => undefined,
    );
  } catch {
    threw = true;
  }
  strictEqual(threw, true);
});

Deno.test('a sanitised event keeps itself as sent, as JSON text; untouched events get nothing', () => {
  const text = '[{"reason":"bad\\u0000box","n":"\\ud800"},{"reason":"fine"}]';
  const originals = JSON.parse(text);
  const sanitised = [{ reason: 'bad\ufffdbox', n: '\ufffd' }, { reason: 'fine' }];
  const kept = withOriginalEvents(sanitised, originals) as Array<Record<string, unknown>>;
  strictEqual(kept[0][ORIGINAL_EVENT_KEY], '{"reason":"bad\\u0000box","n":"\\ud800"}');
  deepStrictEqual(JSON.parse(kept[0][ORIGINAL_EVENT_KEY] as string), originals[0]);
  strictEqual(ORIGINAL_EVENT_KEY in kept[1], false);
});
