import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { ClaimedAlert } from './alert-email.ts';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import {
  type AlertStore,
  checkRequestSchema,
  runAlertCheck,
  runChecks,
  runOptionsFor,
  type SendOutcome,
} from './check.ts';

const alert = (id: number): ClaimedAlert => ({
  alert_id: id,
  customer_id: `c${id}`,
  kind: 'back_in_stock',
  email: `s${id}@example.test`,
  first_name: 'Ana',
  last_name: null,
  language: 'en',
  product_title: 'Dress',
  variant_title: 'M',
  brand: null,
  image_url: null,
  product_url: null,
  shop_name: null,
  old_price: null,
  new_price: 10,
  currency: 'EUR',
  stock_quantity: 3,
});

function fakeStore(batches: ClaimedAlert[][]) {
  const recorded: SendOutcome[][] = [];
  const claims: Array<{ size: number; now: string | undefined }> = [];
  let checks = 0;
  const store: AlertStore = {
    runCheck: () => {
      checks += 1;
      return Promise.resolve({ events: 1, queued: 1, suppressed: 0 });
    },
    claim: (size, now) => {
      claims.push({ size, now });
      return Promise.resolve(batches.shift() ?? []);
    },
    record: (outcomes) => {
      recorded.push(outcomes);
      return Promise.resolve();
    },
  };
  return { store, recorded, claims, checks: () => checks };
}

const build = (a: ClaimedAlert): Promise<OutgoingEmail> =>
  Promise.resolve({
    to: { email: a.email },
    from: { email: 'a@cairn.example' },
    subject: 's',
    text: 't',
    html: 'h',
    customArgs: { alert_id: String(a.alert_id) },
  });
const accepted = (): Promise<SendResult> => Promise.resolve({ ok: true, status: 202, messageId: 'm', attempts: 1 });

Deno.test('runs the check, then claims and records batches until fewer than a batch come back', async () => {
  const fake = fakeStore([[alert(1), alert(2)], [alert(3)]]);
  const result = await runAlertCheck(fake.store, build, accepted, {
    batchSize: 2,
    concurrency: 4,
    budgetMs: 10_000,
    now: 'N',
    checkWorkers: 1,
  });
  strictEqual(fake.checks(), 1);
  deepStrictEqual(fake.claims, [
    { size: 2, now: 'N' },
    { size: 2, now: 'N' },
  ]);
  deepStrictEqual(
    fake.recorded.map((batch) => batch.map((o) => [o.alert_id, o.ok, o.message_id])),
    [
      [
        [1, true, 'm'],
        [2, true, 'm'],
      ],
      [[3, true, 'm']],
    ],
  );
  deepStrictEqual([result.claimed, result.sent, result.failed, result.batches], [3, 3, 0, 2]);
});

Deno.test('send_only skips the check; a spent budget stops claiming', async () => {
  const fake = fakeStore([[alert(1)], [alert(2)]]);
  let now = 0;
  const result = await runAlertCheck(fake.store, build, accepted, {
    batchSize: 1,
    concurrency: 1,
    budgetMs: 8,
    sendOnly: true,
    clock: () => (now += 3),
  });
  strictEqual(fake.checks(), 0);
  strictEqual(result.check, null);
  strictEqual(result.batches, 1);
});

Deno.test('records mail API failures with their retryability, and broken templates as final failures', async () => {
  const fake = fakeStore([[alert(1), alert(2), alert(3)]]);
  const send = (email: OutgoingEmail): Promise<SendResult> =>
    Promise.resolve(
      email.customArgs.alert_id === '1'
        ? { ok: false, status: 429, errors: ['too many requests'], attempts: 5, retryable: true }
        : { ok: false, status: 400, errors: ['bad from'], attempts: 1, retryable: false },
    );
  const buildOrThrow = (a: ClaimedAlert) => (a.alert_id === 3 ? Promise.reject(new Error('no template')) : build(a));
  const result = await runAlertCheck(fake.store, buildOrThrow, send, {
    batchSize: 10,
    concurrency: 2,
    budgetMs: 10_000,
  });
  deepStrictEqual(
    fake.recorded[0].map((o) => [o.alert_id, o.ok, o.retryable, o.error]),
    [
      [1, false, true, '429: too many requests'],
      [2, false, false, '400: bad from'],
      [3, false, false, 'Error: no template'],
    ],
  );
  strictEqual(result.failed, 3);
});

Deno.test('runChecks runs chunks on parallel workers until a chunk comes back short, and adds them up', async () => {
  const remaining = { events: 7 };
  const calls: number[] = [];
  const store: AlertStore = {
    runCheck: async (_now, max) => {
      calls.push(max);
      await new Promise((resolve) => setTimeout(resolve, 1));
      const events = Math.min(max, remaining.events);
      remaining.events -= events;
      return { events, queued: events * 2, suppressed: 1 };
    },
    claim: () => Promise.resolve([]),
    record: () => Promise.resolve(),
  };
  const total = await runChecks(store, undefined, 3, 2);
  deepStrictEqual(total, { events: 7, queued: 14, suppressed: calls.length });
  strictEqual(
    calls.every((max) => max === 3),
    true,
  );
});

Deno.test('check_only runs the check and claims nothing', async () => {
  const fake = fakeStore([[alert(1)]]);
  const result = await runAlertCheck(fake.store, build, accepted, {
    batchSize: 5,
    concurrency: 1,
    budgetMs: 1000,
    checkOnly: true,
  });
  strictEqual(fake.checks() >= 1, true);
  strictEqual(fake.claims.length, 0);
  strictEqual(result.sent, 0);
});

Deno.test('the request schema takes an ISO time with offset and refuses anything else', () => {
  strictEqual(checkRequestSchema.safeParse({ now: '2030-01-15T12:00:00.000Z' }).success, true);
  strictEqual(checkRequestSchema.safeParse({ now: '2030-01-15T12:00:00+09:00' }).success, true);
  for (const body of [{ now: 'yesterday' }, { batch_size: 0 }, { batch_size: 501 }, { max_seconds: 0 }, { extra: 1 }]) {
    strictEqual(checkRequestSchema.safeParse(body).success, false, JSON.stringify(body));
  }
});

Deno.test('the schedule gets the fixed batch size and time budget; only the service role may tune them (L-5)', () => {
  const request = checkRequestSchema.parse({ batch_size: 500, max_seconds: 300, send_only: true, check_only: true });
  deepStrictEqual(runOptionsFor(request, 'schedule'), { batchSize: 200, budgetMs: 45_000 });
  deepStrictEqual(runOptionsFor(request, 'service_role'), {
    now: undefined,
    batchSize: 500,
    budgetMs: 300_000,
    sendOnly: true,
    checkOnly: true,
  });
  deepStrictEqual(runOptionsFor(checkRequestSchema.parse({}), 'service_role'), {
    now: undefined,
    batchSize: 200,
    budgetMs: 45_000,
    sendOnly: undefined,
    checkOnly: undefined,
  });
});
