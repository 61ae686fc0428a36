import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { handleInviteMember, type InviteMemberDeps } from './handler.ts';
import type { InvitePorts } from './invite.ts';

const ADMIN = '6f1c7c52-3f0e-4d55-9d0a-3b1df0a0a001';
const NEW_USER = '6f1c7c52-3f0e-4d55-9d0a-3b1df0a0a002';
const valid = { email: 'nora@example.test', full_name: 'Nora New', role: 'agent' };

function fakes(options: { userId?: string | null; membership?: { role: string; active: boolean } | null }) {
  const asked: string[] = [];
  const saved: unknown[] = [];
  const ports: InvitePorts = {
    memberByEmail: () => Promise.resolve(null),
    addressState: () => Promise.resolve('new'),
    sendInvite: () => Promise.resolve({ ok: true, user: { id: NEW_USER } }),
    saveMember: (member) => {
      saved.push(member);
      return Promise.resolve();
    },
    discardAccount: () => Promise.resolve(),
  };
  const deps: InviteMemberDeps = {
    caller: (authorization) => {
      asked.push(authorization);
      return {
        userId: () => Promise.resolve(options.userId === undefined ? ADMIN : options.userId),
        membership: () =>
          Promise.resolve(options.membership === undefined ? { role: 'admin', active: true } : options.membership),
        ports: () => ports,
      };
    },
    appOrigins: { siteUrl: 'https://app.cairn.example' },
    log: () => undefined,
  };
  return { deps, asked, saved };
}

const invite = (deps: InviteMemberDeps, body: unknown, headers: Record<string, string> = {}) =>
  handleInviteMember(
    new Request('https://ref.supabase.co/functions/v1/invite-member', {
      method: 'POST',
      headers: { Authorization: 'Bearer token', 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
    deps,
  );

const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

Deno.test('an active admin invites: the team row is written as them, the answer says who', async () => {
  const { deps, asked, saved } = fakes({});
  const response = await invite(deps, valid);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { status: 'invited', user_id: NEW_USER, email: valid.email, role: 'agent' });
  deepStrictEqual(asked, ['Bearer token']);
  deepStrictEqual(saved, [{ user_id: NEW_USER, email: valid.email, full_name: valid.full_name, role: 'agent' }]);
});

Deno.test(
  'a token the auth server does not know is 401; a caller who is not an active admin is 403, body unread',
  async () => {
    strictEqual(await codeOf(await invite(fakes({ userId: null }).deps, valid)), 'invalid_token');
    for (const membership of [null, { role: 'manager', active: true }, { role: 'admin', active: false }]) {
      const { deps, saved } = fakes({ membership });
      const response = await invite(deps, { not: 'a valid body' });
      strictEqual(response.status, 403);
      strictEqual(await codeOf(response), 'forbidden');
      strictEqual(saved.length, 0);
    }
  },
);

Deno.test('a link to another site is refused; so is an invalid body', async () => {
  const { deps, saved } = fakes({});
  const elsewhere = await invite(deps, { ...valid, redirect_to: 'https://evil.example/accept' });
  strictEqual(elsewhere.status, 400);
  strictEqual(await codeOf(await invite(deps, { ...valid, role: 'owner' })), 'invalid_request');
  strictEqual(saved.length, 0);
});
