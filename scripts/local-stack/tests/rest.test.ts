import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminSql, anonClient, config, serviceClient, signedInClient } from '../src/testing.ts';

/** A table as a Cairn migration would write it: owner-only rows, one policy per command. */
const schema = `
  create table if not exists public.rest_notes (
    id bigint generated always as identity primary key,
    owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
    body text not null check (length(body) between 1 and 500)
  );
  alter table public.rest_notes enable row level security;
  drop policy if exists "owners read their notes" on public.rest_notes;
  drop policy if exists "owners add their notes" on public.rest_notes;
  drop policy if exists "owners edit their notes" on public.rest_notes;
  drop policy if exists "owners delete their notes" on public.rest_notes;
  create policy "owners read their notes" on public.rest_notes for select to authenticated using (owner_id = (select auth.uid()));
  create policy "owners add their notes" on public.rest_notes for insert to authenticated with check (owner_id = (select auth.uid()));
  create policy "owners edit their notes" on public.rest_notes for update to authenticated using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
  create policy "owners delete their notes" on public.rest_notes for delete to authenticated using (owner_id = (select auth.uid()));
  revoke all on public.rest_notes from anon;
  notify pgrst, 'reload schema';`;

describe('REST under row-level security, two signed-in users', () => {
  let alice: { client: SupabaseClient; userId: string };
  let bob: { client: SupabaseClient; userId: string };

  beforeAll(async () => {
    await adminSql(schema);
    await new Promise((resolve) => setTimeout(resolve, 300));
    alice = await signedInClient();
    bob = await signedInClient();
  });

  it('lets each user create, read, update and delete only their own rows', async () => {
    const created = await alice.client.from('rest_notes').insert({ body: 'alice note' }).select().single();
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({ body: 'alice note', owner_id: alice.userId });
    const id = (created.data as { id: number }).id;

    const bobRead = await bob.client.from('rest_notes').select('*').eq('id', id);
    expect(bobRead.error).toBeNull();
    expect(bobRead.data).toEqual([]);

    const bobUpdate = await bob.client.from('rest_notes').update({ body: 'hijacked' }).eq('id', id).select();
    expect(bobUpdate.data).toEqual([]);
    const bobDelete = await bob.client.from('rest_notes').delete().eq('id', id).select();
    expect(bobDelete.data).toEqual([]);

    const stillThere = await alice.client.from('rest_notes').select('body').eq('id', id).single();
    expect(stillThere.data).toEqual({ body: 'alice note' });

    const updated = await alice.client
      .from('rest_notes')
      .update({ body: 'edited' })
      .eq('id', id)
      .select('body')
      .single();
    expect(updated.data).toEqual({ body: 'edited' });
    const deleted = await alice.client.from('rest_notes').delete().eq('id', id).select('id');
    expect(deleted.data).toEqual([{ id }]);
  });

  it('refuses a row written for someone else with the RLS error', async () => {
    const res = await bob.client.from('rest_notes').insert({ body: 'forged', owner_id: alice.userId });
    expect(res.error).toMatchObject({ code: '42501' });
    expect(res.status).toBe(403);
  });

  it('refuses anon entirely and lets service_role see everything', async () => {
    await alice.client.from('rest_notes').insert({ body: 'for the service' });
    const anon = await anonClient().from('rest_notes').select('*');
    expect(anon.error).toMatchObject({ code: '42501' });
    const service = await serviceClient().from('rest_notes').select('owner_id');
    expect(service.error).toBeNull();
    expect((service.data ?? []).some((row) => row.owner_id === alice.userId)).toBe(true);
  });

  it('reports a constraint violation with its Postgres code', async () => {
    const res = await alice.client.from('rest_notes').insert({ body: '' });
    expect(res.error).toMatchObject({ code: '23514' });
  });
});

describe('the schema cache reload channel (NOTIFY pgrst)', () => {
  it('reloads after DDL on real objects, not after a temporary table made and dropped in a call', async () => {
    const listener = new pg.Client({ connectionString: config.adminDbUrl });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (message) => heard.push(message.payload ?? ''));
    try {
      await listener.query('listen pgrst');
      const after = async (sql: string) => {
        heard.length = 0;
        await adminSql(sql);
        // A notification is delivered at commit; one round trip on the listener takes it in.
        await listener.query('select 1');
        return [...heard];
      };
      expect(
        await after(`do $$ begin
          create temporary table reload_probe (id int) on commit drop;
          drop table reload_probe;
        end $$`),
      ).toEqual([]);
      expect(await after('create table public.reload_probe (id int)')).toEqual(['reload schema']);
      expect(await after('drop table public.reload_probe')).toContain('reload schema');
    } finally {
      await listener.end();
    }
  });
});
