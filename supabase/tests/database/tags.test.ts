import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Role matrix for tags and customer_tags: every caller × select / insert / update / delete,
 * through supabase-js with real sign-ins and in SQL as the role; refusals asserted as carefully
 * as grants. Tags are the team's shared list (every member reads, admins, managers and agents
 * create, only admins and managers edit or delete); customer_tags follow the customer-owned
 * pattern (agents tag only their own customers, shoppers see nothing).
 */

const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`;

describe('tags: access rules', () => {
  let cast: Cast;
  let tagId: string;

  const insertTag = async (name = unique('tag')) => {
    const [{ id }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [name]);
    return id;
  };

  beforeAll(async () => {
    cast = await createCast('tags');
    tagId = await insertTag();
  });
  afterAll(() => cast?.end());

  describe('select', () => {
    it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'service_role'])('%s reads tags', async (caller) => {
      const { data, error } = await cast.client(caller).from('tags').select('id').eq('id', tagId);
      expect(error).toBeNull();
      expect(data).toEqual([{ id: tagId }]);
    });

    it.each<Caller>(['shopper', 'stranger'])('%s sees no tags', async (caller) => {
      const { data, error } = await cast.client(caller).from('tags').select('id').eq('id', tagId);
      expect(error).toBeNull();
      expect(data).toEqual([]);
    });

    it('anon is refused', async () => {
      const { error } = await cast.client('anon').from('tags').select('id').limit(1);
      expect(error).toMatchObject({ code: '42501' });
    });

    it('the same rules hold in SQL as the role', async () => {
      const count = async (caller: Caller) =>
        (await cast.sql<{ n: number }>(caller, 'select count(*)::int as n from public.tags where id = $1', [tagId]))[0]
          .n;
      expect(await count('agent')).toBe(1);
      expect(await count('readonly')).toBe(1);
      expect(await count('shopper')).toBe(0);
      expect(await count('stranger')).toBe(0);
      await expect(cast.sql('anon', 'select 1 from public.tags limit 1')).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('insert', () => {
    it.each(['admin', 'manager', 'agent'] as const)('%s creates a tag, recorded as its creator', async (caller) => {
      const { data, error } = await cast
        .client(caller)
        .from('tags')
        .insert({ name: unique(`by ${caller}`), colour: '#AA00ff' })
        .select('created_by')
        .single();
      expect(error).toBeNull();
      expect(data).toEqual({ created_by: cast.people[caller].userId });
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s cannot create tags', async (caller) => {
      const { error } = await cast
        .client(caller)
        .from('tags')
        .insert({ name: unique('nope') });
      expect(error).toMatchObject({ code: '42501' });
    });

    it('nobody claims to be someone else when creating a tag', async () => {
      const { error } = await cast
        .client('agent')
        .from('tags')
        .insert({ name: unique('forged'), created_by: cast.people.admin.userId });
      expect(error).toMatchObject({ code: '42501' });
      expect(error?.message).toMatch(/permission denied/);
    });

    it('readonly is refused in SQL as the role too', async () => {
      await expect(
        cast.sql('readonly', 'insert into public.tags (name) values ($1)', [unique('ro')]),
      ).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('update', () => {
    const rename = (caller: Caller, id: string, name: string) =>
      cast.client(caller).from('tags').update({ name }).eq('id', id).select('id');

    it.each<Caller>(['admin', 'manager'])('%s renames and recolours a tag', async (caller) => {
      const { data, error } = await cast
        .client(caller)
        .from('tags')
        .update({ name: unique(`renamed by ${caller}`), colour: '#123456' })
        .eq('id', tagId)
        .select('id, colour');
      expect(error).toBeNull();
      expect(data).toEqual([{ id: tagId, colour: '#123456' }]);
    });

    it.each<Caller>(['agent', 'readonly', 'shopper', 'stranger'])('%s changes no tag', async (caller) => {
      const before = await adminSql<{ name: string }>('select name from public.tags where id = $1', [tagId]);
      const { data } = await rename(caller, tagId, unique('hijack'));
      expect(data ?? []).toEqual([]);
      expect(await adminSql('select name from public.tags where id = $1', [tagId])).toEqual(before);
    });

    it('an agent cannot rename even a tag they created', async () => {
      const created = await cast
        .client('agent')
        .from('tags')
        .insert({ name: unique('agent made') })
        .select('id')
        .single();
      const id = (created.data as { id: string }).id;
      expect((await rename('agent', id, unique('agent renamed'))).data).toEqual([]);
    });

    it('anon is refused', async () => {
      const { error } = await rename('anon', tagId, 'x');
      expect(error).toMatchObject({ code: '42501' });
    });
  });

  describe('delete', () => {
    it('only admins and managers remove tags; the taggings go with them', async () => {
      const id = await insertTag();
      await adminSql('insert into public.customer_tags (customer_id, tag_id) values ($1, $2)', [
        cast.shopperCustomerId,
        id,
      ]);
      for (const caller of ['agent', 'readonly', 'shopper', 'stranger'] as const) {
        const { data } = await cast.client(caller).from('tags').delete().eq('id', id).select('id');
        expect(data ?? []).toEqual([]);
      }
      expect((await cast.client('anon').from('tags').delete().eq('id', id)).error).toMatchObject({ code: '42501' });
      const { data } = await cast.client('manager').from('tags').delete().eq('id', id).select('id');
      expect(data).toEqual([{ id }]);
      expect(await adminSql('select 1 from public.customer_tags where tag_id = $1', [id])).toEqual([]);
      const admins = await insertTag();
      expect((await cast.client('admin').from('tags').delete().eq('id', admins).select('id')).data).toEqual([
        { id: admins },
      ]);
    });
  });
});

describe('customer_tags: access rules', () => {
  let cast: Cast;
  let tagId: string;
  let agentsCustomer: string;
  let agent2sCustomer: string;

  beforeAll(async () => {
    cast = await createCast('customer-tags');
    [{ id: tagId }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      unique('ct'),
    ]);
    const insert = (owner: string, name: string) =>
      adminSql<{ id: string }>(`insert into public.customers (first_name, owner_id) values ($1, $2) returning id`, [
        name,
        owner,
      ]);
    [{ id: agentsCustomer }] = await insert(cast.people.agent.userId, 'Tagged, owned by agent');
    [{ id: agent2sCustomer }] = await insert(cast.people.agent2.userId, 'Tagged, owned by agent2');
    await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $3), ($2, $3), ($4, $3)`, [
      agentsCustomer,
      agent2sCustomer,
      tagId,
      cast.shopperCustomerId,
    ]);
  });
  afterAll(() => cast?.end());

  const tagged = async (caller: Caller) => {
    const { data, error } = await cast
      .client(caller)
      .from('customer_tags')
      .select('customer_id')
      .eq('tag_id', tagId)
      .in('customer_id', [agentsCustomer, agent2sCustomer, cast.shopperCustomerId]);
    expect(error).toBeNull();
    return (data ?? []).map((row) => row.customer_id).sort();
  };

  describe('select', () => {
    it.each<Caller>(['admin', 'manager', 'readonly', 'service_role'])('%s sees every tagging', async (caller) => {
      expect(await tagged(caller)).toEqual([agentsCustomer, agent2sCustomer, cast.shopperCustomerId].sort());
    });

    it('an agent sees the tags of their own customers only', async () => {
      expect(await tagged('agent')).toEqual([agentsCustomer, cast.shopperCustomerId].sort());
      expect(await tagged('agent2')).toEqual([agent2sCustomer]);
    });

    it.each<Caller>(['shopper', 'stranger'])('%s sees no taggings, not even their own', async (caller) => {
      expect(await tagged(caller)).toEqual([]);
    });

    it('anon is refused, and the rules hold in SQL as the role', async () => {
      expect((await cast.client('anon').from('customer_tags').select('tag_id').limit(1)).error).toMatchObject({
        code: '42501',
      });
      const count = async (caller: Caller) =>
        (
          await cast.sql<{ n: number }>(
            caller,
            'select count(*)::int as n from public.customer_tags where tag_id = $1 and customer_id = any($2)',
            [tagId, [agentsCustomer, agent2sCustomer]],
          )
        )[0].n;
      expect(await count('manager')).toBe(2);
      expect(await count('agent')).toBe(1);
      expect(await count('shopper')).toBe(0);
      await expect(cast.sql('anon', 'select 1 from public.customer_tags limit 1')).rejects.toMatchObject({
        code: '42501',
      });
    });

    it('filters customers by tag through the API (tag → customers)', async () => {
      const { data, error } = await cast
        .client('agent')
        .from('customers')
        .select('id, customer_tags!inner(tag_id)')
        .eq('customer_tags.tag_id', tagId);
      expect(error).toBeNull();
      expect((data ?? []).map((row) => row.id).sort()).toEqual([agentsCustomer, cast.shopperCustomerId].sort());
    });
  });

  describe('insert', () => {
    const tag = async (caller: Caller, customerId: string) => {
      const [{ id }] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
        unique('fresh'),
      ]);
      return cast.client(caller).from('customer_tags').insert({ customer_id: customerId, tag_id: id }).select();
    };

    it.each(['admin', 'manager'] as const)('%s tags any customer', async (caller) => {
      const { data, error } = await tag(caller, agent2sCustomer);
      expect(error).toBeNull();
      expect(data).toMatchObject([{ customer_id: agent2sCustomer, created_by: cast.people[caller].userId }]);
    });

    it('an agent tags their own customers only', async () => {
      expect((await tag('agent', agentsCustomer)).error).toBeNull();
      expect((await tag('agent', agent2sCustomer)).error).toMatchObject({ code: '42501' });
    });

    it.each<Caller>(['readonly', 'shopper', 'stranger', 'anon'])('%s tags nobody', async (caller) => {
      const customerId = caller === 'shopper' ? cast.shopperCustomerId : agentsCustomer;
      expect((await tag(caller, customerId)).error).toMatchObject({ code: '42501' });
    });

    it('the same customer cannot carry the same tag twice, and the tag must exist', async () => {
      const again = await cast
        .client('manager')
        .from('customer_tags')
        .insert({ customer_id: agentsCustomer, tag_id: tagId });
      expect(again.error?.code).toBe('23505');
      const unknown = await cast
        .client('manager')
        .from('customer_tags')
        .insert({ customer_id: agentsCustomer, tag_id: randomUUID() });
      expect(unknown.error?.code).toBe('23503');
      expect(`${unknown.error?.message} ${unknown.error?.details}`).toMatch(/customer_tags_tag_id_fkey/);
    });

    it('an agent is refused in SQL as the role for a customer they do not own', async () => {
      await expect(
        cast.sql('agent', 'insert into public.customer_tags (customer_id, tag_id) values ($1, $2)', [
          agent2sCustomer,
          tagId,
        ]),
      ).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe('update', () => {
    it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'])(
      '%s cannot edit a tagging (add or remove instead)',
      async (caller) => {
        const { error } = await cast
          .client(caller)
          .from('customer_tags')
          .update({ customer_id: agentsCustomer })
          .eq('tag_id', tagId)
          .eq('customer_id', agentsCustomer);
        expect(error).toMatchObject({ code: '42501' });
      },
    );
  });

  describe('delete', () => {
    const untag = (caller: Caller, customerId: string) =>
      cast.client(caller).from('customer_tags').delete().eq('tag_id', tagId).eq('customer_id', customerId).select();

    it('readonly, shoppers, strangers and other agents remove nothing', async () => {
      for (const caller of ['readonly', 'shopper', 'stranger', 'agent2'] as const) {
        expect((await untag(caller, agentsCustomer)).data ?? []).toEqual([]);
      }
      expect((await untag('shopper', cast.shopperCustomerId)).data ?? []).toEqual([]);
      expect((await untag('anon', agentsCustomer)).error).toMatchObject({ code: '42501' });
      expect(
        await adminSql('select 1 from public.customer_tags where tag_id = $1 and customer_id = $2', [
          tagId,
          agentsCustomer,
        ]),
      ).toHaveLength(1);
    });

    it('the owning agent and managers untag', async () => {
      expect((await untag('agent', agentsCustomer)).data).toHaveLength(1);
      expect((await untag('manager', agent2sCustomer)).data).toHaveLength(1);
    });
  });
});

describe('tags: bad input is refused with a clear error', () => {
  let cast: Cast;
  beforeAll(async () => (cast = await createCast('tag-input')));
  afterAll(() => cast?.end());

  it('refuses a second tag with the same name, whatever its case', async () => {
    const name = unique('Wholesale');
    expect((await cast.client('admin').from('tags').insert({ name })).error).toBeNull();
    const { error } = await cast.client('agent').from('tags').insert({ name: name.toUpperCase() });
    expect(error?.code).toBe('23505');
    expect(error?.message).toMatch(/tags_name_key/);
  });

  it.each([
    ['an empty name', { name: '' }, /tags_name_is_trimmed_and_short/],
    ['a name with surrounding spaces', { name: ' VIP ' }, /tags_name_is_trimmed_and_short/],
    ['a name over 50 characters', { name: 'x'.repeat(51) }, /tags_name_is_trimmed_and_short/],
    ['a colour that is not #rrggbb', { name: unique('red'), colour: 'red' }, /tags_colour_is_a_hex_colour/],
  ])('refuses %s', async (_, fields, mentions) => {
    const { error } = await cast.client('admin').from('tags').insert(fields);
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(mentions);
  });

  it('writes an audit row for every change to tags and taggings, with the actor', async () => {
    const created = await cast
      .client('admin')
      .from('tags')
      .insert({ name: unique('Audited') })
      .select('id')
      .single();
    const id = (created.data as { id: string }).id;
    await cast.client('admin').from('tags').update({ colour: '#000000' }).eq('id', id);
    await cast.client('admin').from('customer_tags').insert({ customer_id: cast.shopperCustomerId, tag_id: id });
    await cast
      .client('admin')
      .from('customer_tags')
      .delete()
      .eq('customer_id', cast.shopperCustomerId)
      .eq('tag_id', id);
    await cast.client('admin').from('tags').delete().eq('id', id);

    const tagRows = await adminSql<{ action: string; actor_id: string }>(
      `select action, actor_id from public.audit_log where table_name = 'tags' and row_id = $1 order by id`,
      [id],
    );
    expect(tagRows.map((row) => row.action)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(tagRows.every((row) => row.actor_id === cast.people.admin.userId)).toBe(true);

    // Taggings are audited under the customer, so a customer's history shows them.
    const taggingRows = await adminSql<{ action: string; after: { tag_id: string } | null }>(
      `select action, after from public.audit_log
        where table_name = 'customer_tags' and row_id = $1 and coalesce(after, before) ->> 'tag_id' = $2 order by id`,
      [cast.shopperCustomerId, id],
    );
    expect(taggingRows.map((row) => row.action)).toEqual(['INSERT', 'DELETE']);
    expect(taggingRows[0].after?.tag_id).toBe(id);
  });
});
