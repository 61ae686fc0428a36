import { strictEqual } from 'node:assert/strict';
import { CRON_SECRET_HEADER, scheduledCaller } from './scheduled-call.ts';

const secret = 'a-cron-secret-of-forty-characters-000000';
const env = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

Deno.test('the service role and the schedule (the right X-Cron-Secret) may call', () => {
  const service = scheduledCaller('service_role', new Headers(), env({ CRON_SECRET: secret }));
  strictEqual(service.ok && service.caller, 'service_role');
  const scheduled = scheduledCaller(
    'anon',
    new Headers({ [CRON_SECRET_HEADER]: secret }),
    env({ CRON_SECRET: secret }),
  );
  strictEqual(scheduled.ok && scheduled.caller, 'schedule');
});

Deno.test('anon and signed-in callers without the secret are forbidden (403)', async () => {
  for (const role of ['anon', 'authenticated']) {
    const check = scheduledCaller(role, new Headers(), env({ CRON_SECRET: secret }));
    strictEqual(check.ok, false);
    if (!check.ok) {
      strictEqual(check.response.status, 403);
      strictEqual(await codeOf(check.response), 'forbidden');
    }
  }
});

Deno.test('a wrong secret, or none configured, is refused (401)', async () => {
  for (const [sent, configured] of [
    ['not-the-secret', secret],
    [secret.slice(0, -1), secret],
    [`${secret}0`, secret],
    [secret, ''],
  ]) {
    const check = scheduledCaller(
      'anon',
      new Headers({ [CRON_SECRET_HEADER]: sent }),
      env({ CRON_SECRET: configured }),
    );
    strictEqual(check.ok, false, `${sent} / ${configured}`);
    if (!check.ok) {
      strictEqual(check.response.status, 401);
      strictEqual(await codeOf(check.response), 'invalid_token');
    }
  }
});
