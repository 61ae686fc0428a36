/**
 * MFA enforced by the database (security review H-1), end to end with real tokens: a member who
 * enrolled a TOTP factor and then signs in with the password alone (aal1) reads and writes
 * nothing through REST, RPC, storage or realtime; after the TOTP challenge (aal2) the same member
 * has their role's access. The auth server issues the tokens; the database decides.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../../../scripts/testing/support/app-user.ts';
import { adminSql, client, serviceClient } from '@cairn/local-stack/testing.ts';

let member: AppUser;
let aal1: SupabaseClient;
let aal2: SupabaseClient;
let customerId: string;

async function signIn(): Promise<SupabaseClient> {
  const supabase = client();
  const { error } = await supabase.auth.signInWithPassword({ email: member.email, password: member.password });
  if (error) throw error;
  return supabase;
}

beforeAll(async () => {
  member = await createTeamMember({ role: 'manager', prefix: 'mfa-member' });
  [customerId] = (
    await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email, source) values ('Mfa', 'Target', $1, 'manual') returning id`,
      [`mfa-target-${Date.now()}@example.test`],
    )
  ).map((row) => row.id);
  await serviceClient()
    .storage.from('attachments')
    .upload(`${customerId}/contract.txt`, new Blob(['signed'], { type: 'text/plain' }), { contentType: 'text/plain' });

  aal2 = await signIn();
  const enrolled = await aal2.auth.mfa.enroll({ factorType: 'totp', friendlyName: 'phone app' });
  if (enrolled.error) throw enrolled.error;
  const code = new TOTP({ secret: enrolled.data.totp.secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
  const verified = await aal2.auth.mfa.challengeAndVerify({ factorId: enrolled.data.id, code });
  if (verified.error) throw verified.error;
  // supabase-js hands Realtime a new token on SIGNED_IN and TOKEN_REFRESHED only, not after an
  // MFA verification, so the app (features/auth/api/mfa.ts) passes the aal2 token on itself.
  await aal2.realtime.setAuth(verified.data.access_token);
  // A second device, or a thief with the password: the factor exists, this session skipped it.
  aal1 = await signIn();
  const level = await aal1.auth.mfa.getAuthenticatorAssuranceLevel();
  expect(level.data).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });
});

afterAll(async () => {
  await Promise.all([aal1?.removeAllChannels(), aal2?.removeAllChannels()]);
});

describe('a member with a verified factor, at aal1', () => {
  it('reads nothing through REST and an RPC; aal2 reads', async () => {
    expect((await aal1.from('customers').select('id').eq('id', customerId)).data).toEqual([]);
    expect((await aal1.from('team_members').select('user_id')).data).toEqual([]);
    expect((await aal1.rpc('search_customers', { query: 'Mfa Target' })).data).toEqual([]);
    expect((await aal2.from('customers').select('id').eq('id', customerId)).data).toEqual([{ id: customerId }]);
    expect(((await aal2.rpc('search_customers', { query: 'Mfa Target' })).data as unknown[]).length).toBe(1);
  });

  it('writes nothing: an update touches no row, an insert is refused', async () => {
    const update = await aal1.from('customers').update({ company: 'Changed' }).eq('id', customerId).select('id');
    expect(update.data).toEqual([]);
    const insert = await aal1.from('customers').insert({ first_name: 'Sneaky', source: 'manual' });
    expect(insert.error?.code).toBe('42501');
    const [row] = await adminSql<{ company: string | null }>('select company from public.customers where id = $1', [
      customerId,
    ]);
    expect(row.company).toBeNull();
    expect(
      (await aal2.from('customers').update({ company: 'Changed' }).eq('id', customerId).select('id')).data,
    ).toEqual([{ id: customerId }]);
  });

  it('lists and downloads no attachment from storage; aal2 does', async () => {
    const listed = await aal1.storage.from('attachments').list(customerId);
    expect(listed.data ?? []).toEqual([]);
    const download = await aal1.storage.from('attachments').download(`${customerId}/contract.txt`);
    expect(download.data).toBeNull();
    expect((await aal2.storage.from('attachments').list(customerId)).data?.map((file) => file.name)).toEqual([
      'contract.txt',
    ]);
  });

  it('receives no realtime change; aal2 does', async () => {
    const received = { aal1: 0, aal2: 0 };
    const subscribe = (supabase: SupabaseClient, key: 'aal1' | 'aal2') =>
      new Promise<void>((resolve, reject) => {
        supabase
          .channel(`mfa-${key}-${Date.now()}`)
          .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'notifications' }, () => {
            received[key] += 1;
          })
          .subscribe((status, error) => {
            if (status === 'SUBSCRIBED') resolve();
            if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(error ?? new Error(status));
          });
      });
    await Promise.all([subscribe(aal1, 'aal1'), subscribe(aal2, 'aal2')]);
    await adminSql(
      `insert into public.notifications (recipient_id, kind, title, link) values ($1, 'system', 'Hello', '/customers')`,
      [member.userId],
    );
    await expect.poll(() => received.aal2, { timeout: 10_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.aal1).toBe(0);
  });
});
