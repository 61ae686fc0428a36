import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { sendGridEventsSchema } from '../_shared/sendgrid.ts';
import { toEventRecords } from './events.ts';

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
