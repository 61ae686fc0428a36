/**
 * When a team row grants its role (security review C-1, H-2, H-1; migration 20261207100000):
 * only an account an invitation created may hold one, a pending invitation grants nothing until
 * the invitee accepts it from the emailed link, and a member with a verified factor (or in a
 * workspace that requires MFA) gets nothing from an aal1 session — through every table, the
 * RPCs and storage, because every policy asks the same helper.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, anonClient, client, config, mail, serviceClient, uniqueEmail } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Persona } from '../../../scripts/testing/support/team.ts';

let cast: Cast;

beforeAll(async () => {
  cast = await createCast('team-access');
});
afterAll(() => cast?.end());

const aal2 = (persona: Persona) => ({ ...cast.people[persona].claims, aal: 'aal2' });

async function addVerifiedFactor(userId: string): Promise<string> {
  const id = randomUUID();
  await adminSql(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values ($1, $2, 'phone app', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP')`,
    [id, userId],
  );
  return id;
}

/** An auth account made by an invitation that nobody has opened yet. */
async function pendingInvitee(): Promise<{ userId: string; email: string }> {
  const email = uniqueEmail('pending');
  const invited = await serviceClient().auth.admin.inviteUserByEmail(email);
  if (invited.error) throw invited.error;
  return { userId: invited.data.user.id, email };
}

describe('who may hold a team row', () => {
  it('refuses an account that was not created by an invitation (any self sign-up, a future shopper sign-up)', async () => {
    const email = uniqueEmail('self');
    const created = await serviceClient().auth.admin.createUser({ email, email_confirm: true });
    const attempt = cast
      .client('admin')
      .from('team_members')
      .insert({ user_id: created.data.user?.id, email, full_name: 'Self Registered', role: 'admin' });
    const { error } = await attempt;
    expect(error).toMatchObject({ code: '23514', details: 'not_invited' });
    // Not even the database owner can make such an account staff.
    await expect(
      adminSql(`insert into public.team_members (user_id, email, full_name) values ($1, $2, 'X')`, [
        created.data.user?.id,
        email,
      ]),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it("refuses a shopper's portal account", async () => {
    await adminSql(`update auth.users set invited_at = now() where id = $1`, [cast.people.shopper.userId]);
    const { error } = await cast.client('admin').from('team_members').insert({
      user_id: cast.people.shopper.userId,
      email: cast.people.shopper.email,
      full_name: 'Shopper',
      role: 'agent',
    });
    expect(error).toMatchObject({ code: '23514', details: 'shopper' });
  });

  it('refuses a pending invitation on an account that already holds a password (H-2)', async () => {
    const email = uniqueEmail('pre-registered');
    const invited = await serviceClient().auth.admin.inviteUserByEmail(email);
    // What an attacker's earlier sign-up leaves behind: their own password on the account.
    await adminSql(
      `update auth.users set encrypted_password = extensions.crypt('Attacker-pass-1', extensions.gen_salt('bf', 4)) where id = $1`,
      [invited.data.user?.id],
    );
    const { error } = await cast
      .client('admin')
      .from('team_members')
      .insert({ user_id: invited.data.user?.id, email, full_name: 'Victim', role: 'manager' });
    expect(error).toMatchObject({ code: '23514', details: 'has_password' });
  });

  it('lets no admin mark an invitation accepted or move a row to another account', async () => {
    const invitee = await pendingInvitee();
    const admin = cast.client('admin');
    const inserted = await admin.from('team_members').insert({
      user_id: invitee.userId,
      email: invitee.email,
      full_name: 'Pending',
      role: 'agent',
      accepted_at: new Date().toISOString(),
    });
    expect(inserted.error).toMatchObject({ code: '42501' });
    expect(
      (
        await admin
          .from('team_members')
          .insert({ user_id: invitee.userId, email: invitee.email, full_name: 'Pending', role: 'agent' })
      ).error,
    ).toBeNull();
    const accepted = await admin
      .from('team_members')
      .update({ accepted_at: new Date().toISOString() })
      .eq('user_id', invitee.userId)
      .select();
    expect(accepted.error).toMatchObject({ code: '42501' });
    const moved = await admin
      .from('team_members')
      .update({ user_id: cast.people.stranger.userId })
      .eq('user_id', invitee.userId)
      .select();
    expect(moved.error).toMatchObject({ code: '42501' });
  });
});

describe('a pending invitation grants nothing until the invitee accepts it (C-1)', () => {
  it('reads nothing from the link session, accepts only after setting a password, then works', async () => {
    const invitee = await pendingInvitee();
    const insert = await cast
      .client('admin')
      .from('team_members')
      .insert({ user_id: invitee.userId, email: invitee.email, full_name: 'Ines Invitee', role: 'admin' });
    expect(insert.error).toBeNull();

    // The invitee opens the emailed link: a session (amr otp) for the invited account.
    const message = await mail.waitFor(invitee.email);
    const link = (message.html ?? message.text ?? '')
      .match(/https?:\/\/[^\s"]+verify[^\s"]+/)?.[0]
      ?.replace(/&amp;/g, '&');
    if (!link) throw new Error('no verify link');
    const response = await fetch(link, { redirect: 'manual' });
    const fragment = new URLSearchParams(new URL(response.headers.get('location') ?? '').hash.slice(1));
    const accessToken = fragment.get('access_token') ?? '';
    expect(accessToken).not.toBe('');
    const invitee1 = client(config.anonKey, { accessToken });

    // Pending: the admin role the row names counts for nothing yet.
    expect((await invitee1.from('customers').select('id').limit(1)).data).toEqual([]);
    expect((await invitee1.from('audit_log').select('id').limit(1)).data).toEqual([]);
    expect((await invitee1.from('team_members').select('user_id')).data).toEqual([]);
    const access = await invitee1.rpc('my_team_access').single();
    expect(access.data).toMatchObject({ role: 'admin', state: 'pending' });

    // Accepting needs the invitee's own password first.
    const early = await invitee1.rpc('accept_team_invitation');
    expect(early.error?.message).toMatch(/password/);
    const password = await fetch(`${config.apiUrl}/auth/v1/user`, {
      method: 'PUT',
      headers: { apikey: config.anonKey, Authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'Invitee-chose-2026' }),
    });
    expect(password.status).toBe(200);
    const accepted = await invitee1.rpc('accept_team_invitation');
    expect(accepted.error).toBeNull();
    expect(accepted.data).toBe('admin');
    expect((await invitee1.from('customers').select('id').limit(1)).data?.length).toBe(1);
    // Audited, with the invitee as the actor.
    const [audit] = await adminSql<{ actor_id: string }>(
      `select actor_id from public.audit_log where table_name = 'team_members' and row_id = $1
       and after ->> 'accepted_at' is not null and before ->> 'accepted_at' is null`,
      [invitee.userId],
    );
    expect(audit?.actor_id).toBe(invitee.userId);
  });

  it('refuses to accept from a password sign-in (the session did not come from the email)', async () => {
    const invitee = await pendingInvitee();
    await cast
      .client('admin')
      .from('team_members')
      .insert({ user_id: invitee.userId, email: invitee.email, full_name: 'Pat', role: 'manager' });
    // Somebody who learned a password for the account (an admin API reset stands in for it).
    await serviceClient().auth.admin.updateUserById(invitee.userId, {
      password: 'Somebody-else-1',
      email_confirm: true,
    });
    const other = anonClient();
    const signedIn = await other.auth.signInWithPassword({ email: invitee.email, password: 'Somebody-else-1' });
    expect(signedIn.error).toBeNull();
    const { error } = await other.rpc('accept_team_invitation');
    expect(error).toMatchObject({ code: '42501' });
    expect((await other.from('customers').select('id').limit(1)).data).toEqual([]);
  });

  it('keeps existing accepted members working, and answers my_team_access for non-members', async () => {
    expect((await cast.client('manager').from('customers').select('id').limit(1)).data?.length).toBe(1);
    const { data } = await cast.client('stranger').rpc('my_team_access').single();
    expect(data).toMatchObject({ role: null, state: 'none', mfa_required: false, has_verified_factor: false });
  });
});

describe('MFA is enforced by the database (H-1)', () => {
  beforeAll(async () => {
    await addVerifiedFactor(cast.people.manager.userId);
    await addVerifiedFactor(cast.people.agent.userId);
  });

  it('gives a member with a verified factor nothing at aal1, through tables, RPCs and storage', async () => {
    const aal1 = cast.people.manager.claims;
    expect(await cast.sql(aal1, 'select id from public.customers limit 1')).toEqual([]);
    expect(await cast.sql(aal1, 'select user_id from public.team_members')).toEqual([]);
    expect(await cast.sql(aal1, `update public.customers set company = 'x' where true returning id`)).toEqual([]);
    expect(await cast.sql(aal1, `select * from public.search_customers('example')`)).toEqual([]);
    expect(await cast.sql(aal1, 'select * from public.team_directory()')).toEqual([]);
    expect(await cast.sql(aal1, `select name from storage.objects where bucket_id = 'attachments' limit 1`)).toEqual(
      [],
    );
    await expect(
      cast.sql(aal1, `insert into public.tags (name) values ($1)`, [`mfa-${randomUUID().slice(0, 6)}`]),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(
      cast.sql(aal1, `update public.team_members set full_name = 'Changed' where user_id = $1 returning user_id`, [
        cast.people.manager.userId,
      ]),
    ).resolves.toEqual([]);
    // The agent's own customers, too.
    expect(await cast.sql(cast.people.agent.claims, 'select id from public.customers limit 1')).toEqual([]);

    // aal2: everything the role allows.
    expect((await cast.sql(aal2('manager'), 'select id from public.customers limit 1')).length).toBe(1);
    expect((await cast.sql(aal2('agent'), 'select id from public.customers limit 1')).length).toBe(1);
    // A member without a factor is not affected by the others' factors.
    expect((await cast.sql('readonly', 'select id from public.customers limit 1')).length).toBe(1);
    const [state] = await cast.sql(aal1, 'select * from public.my_team_access()');
    expect(state).toMatchObject({ role: 'manager', state: 'active', has_verified_factor: true, session_aal: 'aal1' });
  });

  it('lets an admin require MFA for the whole team, only from an aal2 session', async () => {
    const tooWeak = await cast
      .client('admin')
      .from('workspace_settings')
      .update({ require_mfa: true })
      .eq('id', true)
      .select();
    expect(tooWeak.error).toMatchObject({ code: '42501' });
    await expect(
      cast.sql(aal2('manager'), `update public.workspace_settings set require_mfa = true returning id`),
    ).resolves.toEqual([]); // a manager is not an admin, aal2 or not
    await addVerifiedFactor(cast.people.admin.userId);
    try {
      await cast.sql(aal2('admin'), `update public.workspace_settings set require_mfa = true`);
      // readonly has no factor: with the workspace requiring MFA, an aal1 session reads nothing.
      expect(await cast.sql('readonly', 'select id from public.customers limit 1')).toEqual([]);
      const [state] = await cast.sql('readonly', 'select * from public.my_team_access()');
      expect(state).toMatchObject({ state: 'active', mfa_required: true, has_verified_factor: false });
      expect((await cast.sql(aal2('readonly'), 'select id from public.customers limit 1')).length).toBe(1);
    } finally {
      await adminSql(`update public.workspace_settings set require_mfa = false`);
    }
    expect((await cast.sql('readonly', 'select id from public.customers limit 1')).length).toBe(1);
  });
});
