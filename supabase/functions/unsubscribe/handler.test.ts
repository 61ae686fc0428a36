import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { createUnsubscribeToken } from '../_shared/unsubscribe-token.ts';
import type { ConsentTarget } from './unsubscribe.ts';
import { handleUnsubscribe, type UnsubscribeDeps } from './handler.ts';

const SECRET = 'test-unsubscribe-secret';
const CUSTOMER = '00000000-0000-4000-8000-000000000042';
const base = 'https://ref.supabase.co/functions/v1/unsubscribe';

interface Recorded {
  customerId: string;
  target: ConsentTarget;
  evidence: Record<string, string | boolean | null>;
}

function fakes(options: { pageUrl?: string; error?: { code: string; message: string } } = {}) {
  const recorded: Recorded[] = [];
  const deps: UnsubscribeDeps = {
    pageUrl: options.pageUrl ?? null,
    secret: () => SECRET,
    record: (customerId, target, evidence) => {
      recorded.push({ customerId, target, evidence });
      return Promise.resolve({ error: options.error ?? null });
    },
    log: () => undefined,
  };
  return { deps, recorded };
}

const token = (purpose = 'email:alerts', now?: Date) => createUnsubscribeToken(CUSTOMER, purpose, SECRET, now);

Deno.test('a GET only shows the confirmation page; nothing is withdrawn', async () => {
  const { deps, recorded } = fakes();
  const response = await handleUnsubscribe(new Request(`${base}?token=${await token()}`), deps);
  strictEqual(response.status, 200);
  strictEqual(response.headers.get('Content-Type'), 'text/html; charset=utf-8');
  strictEqual((await response.text()).includes('<form method="post"'), true);
  strictEqual(recorded.length, 0);
});

Deno.test('with the app hosting the page, a GET is sent there with the token, or the problem', async () => {
  const { deps } = fakes({ pageUrl: 'https://crm.example.com/unsubscribe' });
  const valid = await token();
  const sent = await handleUnsubscribe(new Request(`${base}?token=${valid}`), deps);
  strictEqual(sent.status, 303);
  const location = new URL(sent.headers.get('Location') ?? '');
  strictEqual(location.searchParams.get('token'), valid);
  strictEqual(location.searchParams.get('purpose'), 'email:alerts');
  const expired = await handleUnsubscribe(
    new Request(`${base}?token=${await token('email:alerts', new Date('2000-01-01T00:00:00Z'))}`),
    deps,
  );
  strictEqual(new URL(expired.headers.get('Location') ?? '').searchParams.get('error'), 'expired');
});

Deno.test('the one-click POST withdraws the consent with its evidence and shows the done page', async () => {
  const { deps, recorded } = fakes();
  const response = await handleUnsubscribe(
    new Request(`${base}?token=${await token()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Real-IP': '203.0.113.7' },
      body: 'List-Unsubscribe=One-Click',
    }),
    deps,
  );
  strictEqual(response.status, 200);
  strictEqual(recorded.length, 1);
  deepStrictEqual(recorded[0].target, { channel: 'email', purpose: 'alerts' });
  strictEqual(recorded[0].customerId, CUSTOMER);
  strictEqual(recorded[0].evidence.one_click, true);
  strictEqual(recorded[0].evidence.ip, '203.0.113.7');
});

Deno.test('the app page POSTs JSON and gets JSON, refusals included', async () => {
  const { deps, recorded } = fakes();
  const post = (body: unknown) =>
    handleUnsubscribe(
      new Request(base, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
      deps,
    );
  const done = await post({ token: await token() });
  deepStrictEqual(await done.json(), { unsubscribed: true, channel: 'email', purpose: 'alerts' });
  strictEqual(recorded[0].evidence.one_click, false);
  const tampered = await post({ token: `${await token()}x` });
  strictEqual(tampered.status, 401);
  strictEqual(((await tampered.json()) as { error: { code: string } }).error.code, 'invalid_token');
  const expired = await post({ token: await token('email:alerts', new Date('2000-01-01T00:00:00Z')) });
  strictEqual(((await expired.json()) as { error: { code: string } }).error.code, 'expired_token');
  const unknownPurpose = await post({ token: await token('email:everything') });
  strictEqual(unknownPurpose.status, 401);
  strictEqual(recorded.length, 1);
});

Deno.test('a missing customer is 404; a database failure is 500; other methods 405', async () => {
  const gone = fakes({ error: { code: 'P0002', message: 'no such customer' } });
  const page = await handleUnsubscribe(new Request(`${base}?token=${await token()}`, { method: 'POST' }), gone.deps);
  strictEqual(page.status, 404);
  const broken = fakes({ error: { code: '08006', message: 'connection lost' } });
  const failed = await handleUnsubscribe(
    new Request(`${base}?token=${await token()}`, { method: 'POST' }),
    broken.deps,
  );
  strictEqual(failed.status, 500);
  strictEqual((await handleUnsubscribe(new Request(base, { method: 'PUT' }), fakes().deps)).status, 405);
  strictEqual((await handleUnsubscribe(new Request(base), fakes().deps)).status, 400);
});
