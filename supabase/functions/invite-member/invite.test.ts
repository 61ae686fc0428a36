import { deepStrictEqual, rejects, strictEqual } from 'node:assert/strict';
import {
  acceptInviteUrl,
  type InvitePorts,
  inviteMember,
  inviteRequestSchema,
  type InviteRequest,
  refuseUnlessAdmin,
} from './invite.ts';

const request: InviteRequest = { email: 'nora@example.test', full_name: 'Nora New', role: 'agent' };
const APP = 'https://app.cairn.example/accept-invite';

function ports(overrides: Partial<InvitePorts> = {}) {
  const saved: unknown[] = [];
  const discarded: string[] = [];
  const invites: Array<[string, { redirectTo: string; fullName: string }]> = [];
  const base: InvitePorts = {
    memberByEmail: () => Promise.resolve(null),
    addressState: () => Promise.resolve('new'),
    sendInvite: (email, options) => {
      invites.push([email, options]);
      return Promise.resolve({ ok: true, user: { id: 'u-new', invited_at: '2026-11-21T08:00:00Z' } });
    },
    saveMember: (member) => {
      saved.push(member);
      return Promise.resolve();
    },
    discardAccount: (id) => {
      discarded.push(id);
      return Promise.resolve();
    },
  };
  return { ports: { ...base, ...overrides }, saved, discarded, invites };
}

Deno.test('the body: address trimmed and lower-cased, role from the list, nothing unknown', () => {
  const parsed = inviteRequestSchema.parse({ email: '  Nora@Example.TEST ', full_name: ' Nora ', role: 'manager' });
  deepStrictEqual(parsed, { email: 'nora@example.test', full_name: 'Nora', role: 'manager' });
  strictEqual(inviteRequestSchema.safeParse({ ...request, email: 'not-an-address' }).success, false);
  strictEqual(inviteRequestSchema.safeParse({ ...request, role: 'owner' }).success, false);
  strictEqual(inviteRequestSchema.safeParse({ ...request, full_name: '   ' }).success, false);
  strictEqual(inviteRequestSchema.safeParse({ ...request, full_name: 'x'.repeat(201) }).success, false);
  strictEqual(inviteRequestSchema.safeParse({ ...request, is_admin: true }).success, false);
  strictEqual(inviteRequestSchema.safeParse({ email: 'a@b.co', role: 'agent' }).success, false);
});

Deno.test('the link lands on an allowed app origin only', () => {
  const allowed = { siteUrl: 'https://app.cairn.example', extraOrigins: 'https://staging.cairn.example, ' };
  strictEqual(acceptInviteUrl({ origin: 'https://app.cairn.example' }, allowed), APP);
  strictEqual(
    acceptInviteUrl({ redirectTo: 'https://staging.cairn.example/anything?x=1' }, allowed),
    'https://staging.cairn.example/accept-invite',
  );
  // A developer's machine, as the auth server allows.
  strictEqual(acceptInviteUrl({ origin: 'http://127.0.0.1:5173' }, {}), 'http://127.0.0.1:5173/accept-invite');
  // A foreign Origin falls back to the site; a foreign explicit redirect is refused.
  strictEqual(acceptInviteUrl({ origin: 'https://evil.example' }, allowed), APP);
  strictEqual(acceptInviteUrl({ redirectTo: 'https://evil.example/accept-invite' }, allowed), null);
  strictEqual(acceptInviteUrl({ redirectTo: 'javascript:alert(1)' }, allowed), null);
  // Nothing configured and nothing usable sent: no guess.
  strictEqual(acceptInviteUrl({ origin: 'https://evil.example' }, {}), null);
});

Deno.test('an admin invites: the email goes out and the member row carries the role', async () => {
  const fake = ports();
  const outcome = await inviteMember(request, APP, fake.ports);
  deepStrictEqual(outcome, { ok: true, status: 'invited', user_id: 'u-new', email: request.email, role: 'agent' });
  deepStrictEqual(fake.invites, [[request.email, { redirectTo: APP, fullName: 'Nora New' }]]);
  deepStrictEqual(fake.saved, [{ user_id: 'u-new', email: request.email, full_name: 'Nora New', role: 'agent' }]);
});

Deno.test('only an active admin may invite', () => {
  strictEqual(refuseUnlessAdmin({ role: 'admin', active: true }), null);
  for (const caller of [
    null,
    { role: 'manager', active: true },
    { role: 'readonly', active: true },
    { role: 'admin', active: false },
  ]) {
    deepStrictEqual(refuseUnlessAdmin(caller), {
      ok: false,
      status: 403,
      code: 'forbidden',
      message: 'Only an active admin can invite team members',
    });
  }
});

Deno.test('re-inviting a pending invitee re-sends and says so', async () => {
  const fake = ports({ memberByEmail: () => Promise.resolve({ user_id: 'u-new', active: true }) });
  const outcome = await inviteMember({ ...request, role: 'manager' }, APP, fake.ports);
  strictEqual(outcome.ok && outcome.status, 'resent');
  strictEqual(fake.invites.length, 1);
  deepStrictEqual(fake.saved, [{ user_id: 'u-new', email: request.email, full_name: 'Nora New', role: 'manager' }]);
});

Deno.test('an address with a confirmed account is refused with a code that says why', async () => {
  const exists = { sendInvite: () => Promise.resolve({ ok: false as const, reason: 'email_exists' as const }) };
  const member = await inviteMember(
    request,
    APP,
    ports({ ...exists, memberByEmail: () => Promise.resolve({ user_id: 'u1', active: true }) }).ports,
  );
  deepStrictEqual(member, {
    ok: false,
    status: 409,
    code: 'already_member',
    message: 'nora@example.test is already on the team',
  });
  const inactive = await inviteMember(
    request,
    APP,
    ports({ ...exists, memberByEmail: () => Promise.resolve({ user_id: 'u1', active: false }) }).ports,
  );
  strictEqual(!inactive.ok && inactive.message.includes('deactivated'), true);
  const stranger = ports(exists);
  const outcome = await inviteMember(request, APP, stranger.ports);
  strictEqual(!outcome.ok && outcome.code, 'email_in_use');
  strictEqual(stranger.saved.length, 0);
});

Deno.test('a failed team row removes the account the invitation just created', async () => {
  const fake = ports({ saveMember: () => Promise.reject(new Error('database down')) });
  await rejects(inviteMember(request, APP, fake.ports), /database down/);
  deepStrictEqual(fake.discarded, ['u-new']);

  // A pending invitee's account (a team row exists) is never removed by a retry that fails.
  const retry = ports({
    memberByEmail: () => Promise.resolve({ user_id: 'u-new', active: true }),
    saveMember: () => Promise.reject(new Error('database down')),
  });
  await rejects(inviteMember(request, APP, retry.ports), /database down/);
  deepStrictEqual(retry.discarded, []);
});

Deno.test('an address whose account the invitation did not make is refused before any email (H-2)', async () => {
  const fake = ports({ addressState: () => Promise.resolve('not_invitable') });
  const outcome = await inviteMember(request, APP, fake.ports);
  deepStrictEqual(outcome, {
    ok: false,
    status: 409,
    code: 'account_not_invitable',
    message: `${request.email} already has an account that was not created by a Cairn invitation, so an invitation cannot be sent to it: ask the person for another address, or remove that account first`,
  });
  deepStrictEqual(fake.invites, []);
  deepStrictEqual(fake.saved, []);
});
