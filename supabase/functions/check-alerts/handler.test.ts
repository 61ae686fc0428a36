import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { toBase64, utf8 } from '../_shared/bytes.ts';
import type { CheckRequest, RunResult } from './check.ts';
import { type CheckAlertsDeps, handleCheckAlerts } from './handler.ts';
import { CRON_SECRET_HEADER, type ScheduledCaller } from '../_shared/scheduled-call.ts';

const SECRET = 'a-cron-secret-of-forty-characters-000000';
const part = (value: unknown) => toBase64(utf8(JSON.stringify(value)), true);
const key = (role: string) => `Bearer ${part({ alg: 'HS256' })}.${part({ role })}.sig`;
const result: RunResult = { check: null, check_ms: 0, claimed: 0, sent: 0, failed: 0, batches: 0, ms: 1 };

function fakes(run?: CheckAlertsDeps['run']) {
  const runs: Array<[CheckRequest, ScheduledCaller]> = [];
  const deps: CheckAlertsDeps = {
    env: { get: (name) => (name === 'CRON_SECRET' ? SECRET : undefined) },
    run:
      run ??
      ((request, caller) => {
        runs.push([request, caller]);
        return Promise.resolve(result);
      }),
    log: () => undefined,
  };
  return { deps, runs };
}

const call = (deps: CheckAlertsDeps, headers: Record<string, string>, body: unknown = {}) =>
  handleCheckAlerts(
    new Request('https://ref.supabase.co/functions/v1/check-alerts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
    deps,
  );

const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

Deno.test('the schedule (its secret) and the service role run the check; its result is the answer', async () => {
  const { deps, runs } = fakes();
  const scheduled = await call(deps, { Authorization: key('anon'), [CRON_SECRET_HEADER]: SECRET });
  deepStrictEqual(await scheduled.json(), result);
  const service = await call(deps, { Authorization: key('service_role') }, { now: '2026-01-01T00:00:00Z' });
  strictEqual(service.status, 200);
  deepStrictEqual(runs, [
    [{}, 'schedule'],
    [{ now: '2026-01-01T00:00:00Z' }, 'service_role'],
  ]);
});

Deno.test('anybody else is refused before the body is read, and nothing runs', async () => {
  const { deps, runs } = fakes();
  strictEqual(await codeOf(await call(deps, { Authorization: key('anon') })), 'forbidden');
  strictEqual(await codeOf(await call(deps, { Authorization: key('authenticated') })), 'forbidden');
  strictEqual(
    await codeOf(await call(deps, { Authorization: key('anon'), [CRON_SECRET_HEADER]: 'wrong' })),
    'invalid_token',
  );
  strictEqual(runs.length, 0);
});

Deno.test('only the service role may set the time; bad bodies are 400; a failed run is 500', async () => {
  const { deps, runs } = fakes();
  const scheduledNow = await call(
    deps,
    { Authorization: key('anon'), [CRON_SECRET_HEADER]: SECRET },
    { now: '2026-01-01T00:00:00Z' },
  );
  strictEqual(scheduledNow.status, 403);
  strictEqual(
    await codeOf(await call(deps, { Authorization: key('service_role') }, { batch_size: 0 })),
    'invalid_request',
  );
  strictEqual(runs.length, 0);
  const broken = fakes(() => Promise.reject(new Error('database down')));
  strictEqual(await codeOf(await call(broken.deps, { Authorization: key('service_role') })), 'internal_error');
});
