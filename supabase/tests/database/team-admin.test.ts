/**
 * Team administration (migration 20261121080100): the workspace always keeps an active admin,
 * team_directory() shows the team with sign-in state to members only, and tag_usage counts
 * customers under the reader's RLS.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

let cast: Cast;

beforeAll(async () => {
  cast = await createCast('team-admin');
});
afterAll(() => cast?.end());

/**
 * Runs `attempt` as the cast's admin after every OTHER admin has been deactivated, in one
 * transaction that is always rolled back, so the rest of the database never sees the state.
 */
async function asTheOnlyAdmin(attempt: string, params: unknown[] = []): Promise<unknown> {
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    await db.query('begin');
    await db.query(`update public.team_members set active = false where role = 'admin' and user_id <> $1`, [
      cast.people.admin.userId,
    ]);
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(cast.people.admin.claims)]);
    await db.query('set local role authenticated');
    await db.query(attempt, params);
    return null;
  } catch (error) {
    return error;
  } finally {
    await db.query('rollback');
    await db.end();
  }
}

describe('an active admin always remains', () => {
  const me = () => cast.people.admin.userId;

  it.each([
    ['demoting', `update public.team_members set role = 'manager' where user_id = $1`],
    ['deactivating', `update public.team_members set active = false where user_id = $1`],
    ['removing', `delete from public.team_members where user_id = $1`],
  ])('refuses %s the last active admin, with a detail the app can recognise', async (_label, statement) => {
    const error = await asTheOnlyAdmin(statement, [me()]);
    expect(error).toMatchObject({ code: '23514', detail: 'last_admin' });
    expect(String((error as Error).message)).toMatch(/last active admin/);
  });

  it('still lets the only admin edit their own name, and change other members', async () => {
    expect(
      await asTheOnlyAdmin(`update public.team_members set full_name = 'Renamed' where user_id = $1`, [me()]),
    ).toBeNull();
    expect(
      await asTheOnlyAdmin(`update public.team_members set role = 'readonly' where user_id = $1`, [
        cast.people.manager.userId,
      ]),
    ).toBeNull();
  });

  it('lets an admin step down while another active admin remains', async () => {
    const second = await createCast('team-admin-2');
    try {
      const { error } = await second
        .client('admin')
        .from('team_members')
        .update({ role: 'manager' })
        .eq('user_id', second.people.admin.userId);
      expect(error).toBeNull();
      const [row] = await adminSql<{ role: string }>(`select role from public.team_members where user_id = $1`, [
        second.people.admin.userId,
      ]);
      expect(row.role).toBe('manager');
    } finally {
      await second.end();
    }
  });
});

describe('team_directory()', () => {
  it.each<Caller>(['admin', 'manager', 'agent', 'readonly'])('%s sees the team with sign-in state', async (caller) => {
    const { data, error } = await cast.client(caller).rpc('team_directory');
    expect(error).toBeNull();
    const rows = data as Array<{
      user_id: string;
      role: string;
      last_sign_in_at: string | null;
      invitation_pending: boolean;
    }>;
    const admin = rows.find((row) => row.user_id === cast.people.admin.userId);
    expect(admin).toMatchObject({ role: 'admin', invitation_pending: false });
    expect(admin?.last_sign_in_at).not.toBeNull();
  });

  it.each<Caller>(['shopper', 'stranger'])('%s gets no rows', async (caller) => {
    const { data, error } = await cast.client(caller).rpc('team_directory');
    expect(error).toBeNull();
    expect(data).toEqual([]);
  });

  it('a deactivated member gets no rows', async () => {
    await adminSql(`update public.team_members set active = false where user_id = $1`, [cast.people.readonly.userId]);
    try {
      const { data } = await cast.client('readonly').rpc('team_directory');
      expect(data).toEqual([]);
    } finally {
      await adminSql(`update public.team_members set active = true where user_id = $1`, [cast.people.readonly.userId]);
    }
  });

  it('anon may not call it', async () => {
    const { error } = await cast.client('anon').rpc('team_directory');
    expect(error).toMatchObject({ code: '42501' });
  });
});

describe('tag_usage', () => {
  it('counts the customers carrying each tag, under the reader’s RLS', async () => {
    const [{ id: tagId }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `usage ${randomUUID().slice(0, 8)}`,
    ]);
    const [{ id: otherCustomer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, email, owner_id) values ('Other', $1, $2) returning id`,
      [`other-${randomUUID().slice(0, 8)}@example.test`, cast.people.agent2.userId],
    );
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $3), ($2, $3)`, [
      cast.shopperCustomerId,
      otherCustomer,
      tagId,
    ]);
    const countFor = async (caller: Caller) => {
      const { data, error } = await cast.client(caller).from('tag_usage').select('customer_count').eq('id', tagId);
      expect(error).toBeNull();
      return (data as Array<{ customer_count: number }>)[0]?.customer_count ?? null;
    };
    expect(await countFor('admin')).toBe(2);
    expect(await countFor('readonly')).toBe(2);
    expect(await countFor('agent')).toBe(1); // owns only the shopper's customer
    expect(await countFor('shopper')).toBeNull();
    const { error } = await cast.client('anon').from('tag_usage').select('id').limit(1);
    expect(error).toMatchObject({ code: '42501' });
  });
});

describe('team member names (review L-13)', () => {
  it('refuses control characters in a name, from an admin or the member themselves', async () => {
    for (const [caller, target] of [
      ['admin', 'agent'],
      ['agent', 'agent'],
    ] as const) {
      const { error } = await cast
        .client(caller)
        .from('team_members')
        .update({ full_name: 'Eve\r\nBcc: attacker@evil.example' })
        .eq('user_id', cast.people[target].userId);
      expect(error?.code).toBe('23514');
      expect(error?.message).toMatch(/team_members_full_name_has_no_control_characters/);
    }
    const { error } = await cast
      .client('agent')
      .from('team_members')
      .update({ full_name: 'Agent Smith-Jones' })
      .eq('user_id', cast.people.agent.userId);
    expect(error).toBeNull();
  });
});
