import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { toBase64, utf8 } from '../_shared/bytes.ts';
import { handleSendEmail, type SendEmailDeps } from './handler.ts';
import type { SendEmailPorts } from './send.ts';

const part = (value: unknown) => toBase64(utf8(JSON.stringify(value)), true);
const bearer = (claims: Record<string, unknown>) => `Bearer ${part({ alg: 'HS256' })}.${part(claims)}.sig`;
const USER = '6f1c7c52-3f0e-4d55-9d0a-3b1df0a0a001';
const body = { template_key: 'welcome', to: { email: 'maria@cairn.example' } };

function fakes(member: SendEmailPorts['member']) {
  const bound: Array<[string, string]> = [];
  const unused = () => Promise.reject(new Error('not expected'));
  const deps: SendEmailDeps = {
    portsFor: (authorization, userId) => {
      bound.push([authorization, userId]);
      return {
        member,
        customerById: unused,
        customerByEmail: unused,
        isSuppressed: unused,
        permission: unused,
        readAttachment: unused,
        render: unused,
        threadCustomer: unused,
        recordOutbound: unused,
        markDelivery: unused,
        send: unused,
        from: { email: 'team@cairn.example', name: 'Cairn' },
      };
    },
    log: () => undefined,
  };
  return { deps, bound };
}

const post = (deps: SendEmailDeps, authorization: string, payload: unknown = body) =>
  handleSendEmail(
    new Request('https://ref.supabase.co/functions/v1/send-email', {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    }),
    deps,
  );

const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

Deno.test(
  'only a signed-in user may send: the anon and service-role keys are refused before anything runs',
  async () => {
    const { deps, bound } = fakes(() => Promise.resolve(null));
    for (const claims of [{ role: 'anon' }, { role: 'service_role' }, { role: 'authenticated' }]) {
      const response = await post(deps, bearer(claims));
      strictEqual(response.status, 403);
      strictEqual(await errorOf(response), 'forbidden');
    }
    strictEqual(bound.length, 0);
  },
);

Deno.test('the ports are bound to the caller, and the outcome becomes the answer', async () => {
  const { deps, bound } = fakes(() => Promise.resolve(null));
  const authorization = bearer({ role: 'authenticated', sub: USER });
  const response = await post(deps, authorization);
  deepStrictEqual(bound, [[authorization, USER]]);
  strictEqual(response.status, 403);
  strictEqual(await errorOf(response), 'forbidden');
});

Deno.test('an invalid body is a 400 naming the field; a failing port is a 500', async () => {
  const authorization = bearer({ role: 'authenticated', sub: USER });
  const invalid = await post(fakes(() => Promise.resolve(null)).deps, authorization, { template_key: 'Bad Key!' });
  strictEqual(invalid.status, 400);
  strictEqual(await errorOf(invalid), 'invalid_request');
  const broken = await post(fakes(() => Promise.reject(new Error('database down'))).deps, authorization);
  strictEqual(broken.status, 500);
  strictEqual(await errorOf(broken), 'internal_error');
});
