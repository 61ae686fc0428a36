import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Typed custom fields: the role matrix for custom_field_definitions (admins manage, the team
 * reads), values in customers.custom_fields checked by the database against their definitions
 * (whoever writes them), the guards that keep stored values valid when a definition changes,
 * and the audit trail.
 *
 * Keys carry a random suffix: the database is shared with the other test files and the seed.
 * A required field would make every staff insert elsewhere fail, so the one test that makes a
 * field required archives it before it ends.
 */

const suffix = randomUUID().replaceAll('-', '').slice(0, 8);
const key = (name: string) => `${name}_${suffix}`;

interface Definition {
  key: string;
  label: string;
  type: string;
  options?: string[];
  required?: boolean;
  active?: boolean;
}

async function define(definition: Definition): Promise<string> {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.custom_field_definitions (key, label, type, options, required, active)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [
      definition.key,
      definition.label,
      definition.type,
      definition.options ?? [],
      definition.required ?? false,
      definition.active ?? true,
    ],
  );
  return id;
}

describe('custom_field_definitions: access rules', () => {
  let cast: Cast;
  let definitionId: string;

  beforeAll(async () => {
    cast = await createCast('cf-defs');
    definitionId = await define({ key: key('matrix'), label: 'Matrix', type: 'text' });
  });
  afterAll(() => cast?.end());

  describe('select', () => {
    const readDefinition = (caller: Caller) =>
      cast.client(caller).from('custom_field_definitions').select('id').eq('id', definitionId);

    it.each<Caller>(['admin', 'manager', 'agent', 'readonly', 'service_role'])(
      '%s reads the definitions',
      async (caller) => {
        const { data, error } = await readDefinition(caller);
        expect(error).toBeNull();
        expect(data).toEqual([{ id: definitionId }]);
      },
    );

    it.each<Caller>(['shopper', 'stranger'])('%s sees no definitions', async (caller) => {
      const { data, error } = await readDefinition(caller);
      expect(error).toBeNull();
      expect(data).toEqual([]);
    });

    it('anon is refused, and the rules hold in SQL as the role', async () => {
      const { error } = await cast.client('anon').from('custom_field_definitions').select('id').limit(1);
      expect(error).toMatchObject({ code: '42501' });
      const count = async (caller: Caller) =>
        (
          await cast.sql<{ n: number }>(
            caller,
            'select count(*)::int as n from public.custom_field_definitions where id = $1',
            [definitionId],
          )
        )[0].n;
      expect(await count('readonly')).toBe(1);
      expect(await count('shopper')).toBe(0);
      await expect(cast.sql('anon', 'select 1 from public.custom_field_definitions')).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('insert', () => {
    it('an admin adds a field', async () => {
      const { error } = await cast
        .client('admin')
        .from('custom_field_definitions')
        .insert({ key: key('by_admin'), label: 'By admin', type: 'number' });
      expect(error).toBeNull();
    });

    it.each<Caller>(['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'])(
      '%s cannot add a field',
      async (caller) => {
        const { error } = await cast
          .client(caller)
          .from('custom_field_definitions')
          .insert({ key: key(`by_${caller}`), label: 'Nope', type: 'text' });
        expect(error).toMatchObject({ code: '42501' });
      },
    );
  });

  describe('update', () => {
    const relabel = (caller: Caller, label: string) =>
      cast.client(caller).from('custom_field_definitions').update({ label }).eq('id', definitionId).select('label');

    it('an admin relabels a field', async () => {
      expect((await relabel('admin', 'Relabelled')).data).toEqual([{ label: 'Relabelled' }]);
    });

    it.each<Caller>(['manager', 'agent', 'readonly', 'shopper', 'stranger'])('%s changes no field', async (caller) => {
      expect((await relabel(caller, 'hijack')).data ?? []).toEqual([]);
    });

    it('anon is refused; the manager is refused in SQL as the role too', async () => {
      expect((await relabel('anon', 'x')).error).toMatchObject({ code: '42501' });
      const rows = await cast.sql(
        'manager',
        'update public.custom_field_definitions set label = $2 where id = $1 returning id',
        [definitionId, 'x'],
      );
      expect(rows).toEqual([]);
      const [row] = await adminSql<{ label: string }>(
        'select label from public.custom_field_definitions where id = $1',
        [definitionId],
      );
      expect(row.label).toBe('Relabelled');
    });
  });

  describe('delete', () => {
    it('only an admin removes a field', async () => {
      const id = await define({ key: key('doomed'), label: 'Doomed', type: 'boolean' });
      for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger'] as const) {
        const { data } = await cast.client(caller).from('custom_field_definitions').delete().eq('id', id).select('id');
        expect(data ?? []).toEqual([]);
      }
      expect((await cast.client('anon').from('custom_field_definitions').delete().eq('id', id)).error).toMatchObject({
        code: '42501',
      });
      const { data } = await cast.client('admin').from('custom_field_definitions').delete().eq('id', id).select('id');
      expect(data).toEqual([{ id }]);
    });
  });
});

describe('customers.custom_fields: values checked against their definitions', () => {
  let cast: Cast;
  const tier = key('loyalty_tier');
  const since = key('vip_since');
  const styles = key('styles');
  const score = key('score');
  const newsletter = key('newsletter');
  const site = key('site');
  const contact = key('contact');
  const notes = key('notes');

  beforeAll(async () => {
    cast = await createCast('cf-values');
    await define({ key: tier, label: 'Loyalty tier', type: 'select', options: ['gold', 'silver'] });
    await define({ key: since, label: 'VIP since', type: 'date' });
    await define({ key: styles, label: 'Styles', type: 'multiselect', options: ['chic', 'casual', 'luxury'] });
    await define({ key: score, label: 'Score', type: 'number' });
    await define({ key: newsletter, label: 'Newsletter', type: 'boolean' });
    await define({ key: site, label: 'Website', type: 'url' });
    await define({ key: contact, label: 'Contact', type: 'email' });
    await define({ key: notes, label: 'Notes', type: 'text' });
  });
  afterAll(() => cast?.end());

  const insertAs = (caller: Caller, customFields: Record<string, unknown>) =>
    cast
      .client(caller)
      .from('customers')
      .insert({ first_name: 'Custom', owner_id: cast.people.agent.userId, custom_fields: customFields })
      .select('id, custom_fields')
      .single();

  it('stores values of every type that fit their definitions; a null removes a value', async () => {
    const values = {
      [tier]: 'gold',
      [since]: '2024-02-29',
      [styles]: ['chic', 'luxury'],
      [score]: 4.5,
      [newsletter]: true,
      [site]: 'https://example.com/shop?ref=1',
      [contact]: 'buyer@example.com',
      [notes]: 'Prefers phone calls',
    };
    const { data, error } = await insertAs('manager', { ...values, [key('not_defined')]: null });
    expect(error).toBeNull();
    expect(data?.custom_fields).toEqual(values);

    const id = (data as { id: string }).id;
    const cleared = await cast
      .client('manager')
      .from('customers')
      .update({ custom_fields: { ...values, [notes]: null } })
      .eq('id', id)
      .select('custom_fields')
      .single();
    expect(cleared.error).toBeNull();
    expect(Object.keys(cleared.data?.custom_fields as object)).not.toContain(notes);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a select value outside the options',
      { [tier]: 'bronze' },
      new RegExp(`custom field "${tier}" must be one of: gold, silver`),
    ],
    [
      'an impossible date',
      { [since]: '2024-02-30' },
      new RegExp(`custom field "${since}" must be a date \\(YYYY-MM-DD\\)`),
    ],
    ['a date in another format', { [since]: '01/05/2024' }, /must be a date \(YYYY-MM-DD\)/],
    [
      'a multiselect value outside the options',
      { [styles]: ['chic', 'punk'] },
      /must be a list of values from: chic, casual, luxury/,
    ],
    ['a multiselect given as a string', { [styles]: 'chic' }, /must be a list of values from/],
    ['a repeated multiselect value', { [styles]: ['chic', 'chic'] }, /must not list the same value twice/],
    ['a number given as text', { [score]: '4.5' }, new RegExp(`custom field "${score}" must be a number`)],
    ['a boolean given as text', { [newsletter]: 'yes' }, /must be true or false/],
    [
      'a url without http(s)',
      { [site]: 'ftp://example.com' },
      /must be a web address starting with http:\/\/ or https:\/\//,
    ],
    ['a malformed email', { [contact]: 'not-an-email' }, /must be an email address/],
    ['text given as a number', { [notes]: 42 }, /must be text/],
    ['text over 2000 characters', { [notes]: 'x'.repeat(2001) }, /at most 2000 characters/],
  ])('refuses %s, naming the field', async (_, customFields, message) => {
    const { error } = await insertAs('admin', customFields);
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(message);
  });

  it('refuses an unknown key, naming it', async () => {
    const unknown = key('shoe_size');
    const { error } = await insertAs('admin', { [unknown]: 42 });
    expect(error?.code).toBe('23514');
    expect(error?.message).toBe(`unknown custom field "${unknown}"`);
    expect(error?.hint).toMatch(/custom_field_definitions/);
  });

  it('refuses something other than a JSON object', async () => {
    const { error } = await cast
      .client('admin')
      .from('customers')
      .insert({ first_name: 'Array', custom_fields: ['gold'] });
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(/custom_fields must be a JSON object/);
  });

  it('checks the system too: the service role cannot store a wrong value', async () => {
    const { error } = await insertAs('service_role', { [tier]: 'platinum' });
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(/must be one of/);
  });

  it('an agent sets custom fields on their own customers, not on others', async () => {
    const own = await insertAs('agent', { [tier]: 'silver' });
    expect(own.error).toBeNull();
    const [{ id: others }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Not yours', $1) returning id`,
      [cast.people.agent2.userId],
    );
    const { data } = await cast
      .client('agent')
      .from('customers')
      .update({ custom_fields: { [tier]: 'gold' } })
      .eq('id', others)
      .select('id');
    expect(data ?? []).toEqual([]);
  });

  it('readonly members and strangers set no custom fields', async () => {
    for (const caller of ['readonly', 'stranger'] as const) {
      const { data } = await cast
        .client(caller)
        .from('customers')
        .update({ custom_fields: { [tier]: 'gold' } })
        .eq('id', cast.shopperCustomerId)
        .select('id');
      expect(data ?? []).toEqual([]);
    }
  });

  it('a shopper reads their custom fields but never writes them; their other edits still work', async () => {
    await adminSql(`update public.customers set custom_fields = $2 where id = $1`, [
      cast.shopperCustomerId,
      { [tier]: 'silver' },
    ]);
    const read = await cast
      .client('shopper')
      .from('customers')
      .select('custom_fields')
      .eq('id', cast.shopperCustomerId);
    expect(read.data).toEqual([{ custom_fields: { [tier]: 'silver' } }]);

    const { error } = await cast
      .client('shopper')
      .from('customers')
      .update({ custom_fields: { [tier]: 'gold' } })
      .eq('id', cast.shopperCustomerId);
    expect(error).toMatchObject({ code: '42501', message: 'only team members can set custom fields' });

    const renamed = await cast
      .client('shopper')
      .from('customers')
      .update({ first_name: 'Still me' })
      .eq('id', cast.shopperCustomerId)
      .select('first_name');
    expect(renamed.data).toEqual([{ first_name: 'Still me' }]);
  });

  it('filters customers by a custom field value through the API (GIN index, @>)', async () => {
    const created = await insertAs('manager', { [tier]: 'gold', [styles]: ['casual'] });
    const id = (created.data as { id: string }).id;
    const { data, error } = await cast
      .client('manager')
      .from('customers')
      .select('id')
      .contains('custom_fields', { [styles]: ['casual'] });
    expect(error).toBeNull();
    expect(data).toEqual([{ id }]);
  });

  it('an archived field keeps its values, which may be removed but not set or changed', async () => {
    const archived = key('archived');
    await define({ key: archived, label: 'Archived', type: 'text' });
    const created = await insertAs('manager', { [archived]: 'kept', [tier]: 'gold' });
    const id = (created.data as { id: string }).id;
    await adminSql(`update public.custom_field_definitions set active = false where key = $1`, [archived]);

    const update = (customFields: Record<string, unknown>) =>
      cast
        .client('manager')
        .from('customers')
        .update({ custom_fields: customFields })
        .eq('id', id)
        .select('custom_fields');
    // The archived value travels along unchanged while another field changes.
    expect((await update({ [archived]: 'kept', [tier]: 'silver' })).error).toBeNull();
    const changed = await update({ [archived]: 'changed', [tier]: 'silver' });
    expect(changed.error?.code).toBe('23514');
    expect(changed.error?.message).toMatch(new RegExp(`custom field "${archived}" is archived`));
    expect((await update({ [tier]: 'silver' })).data).toEqual([{ custom_fields: { [tier]: 'silver' } }]);
  });

  it('a required field is required of team members, not of the system; unrelated edits still work', async () => {
    const required = key('required');
    const [{ id: older }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, owner_id) values ('Before the rule', $1) returning id`,
      [cast.people.agent.userId],
    );
    await define({ key: required, label: 'Required', type: 'text', required: true });
    try {
      const missing = await insertAs('agent', { [tier]: 'gold' });
      expect(missing.error?.code).toBe('23514');
      expect(missing.error?.message).toBe(`custom field "${required}" is required`);

      expect((await insertAs('agent', { [required]: 'given' })).error).toBeNull();
      expect((await insertAs('service_role', {})).error).toBeNull();

      // Customers that predate the rule stay editable, until their custom fields are edited.
      const renamed = await cast
        .client('agent')
        .from('customers')
        .update({ first_name: 'Renamed' })
        .eq('id', older)
        .select('id');
      expect(renamed.data).toEqual([{ id: older }]);
      const edited = await cast
        .client('agent')
        .from('customers')
        .update({ custom_fields: { [tier]: 'gold' } })
        .eq('id', older);
      expect(edited.error?.message).toBe(`custom field "${required}" is required`);
    } finally {
      await adminSql(`update public.custom_field_definitions set active = false, required = false where key = $1`, [
        required,
      ]);
    }
  });
});

describe('custom_field_definitions: changes that would break stored values are refused', () => {
  let cast: Cast;
  const tier = key('tier_guard');
  const styles = key('styles_guard');
  let customerId: string;

  beforeAll(async () => {
    cast = await createCast('cf-guards');
    await define({ key: tier, label: 'Tier', type: 'select', options: ['gold', 'silver', 'bronze'] });
    await define({ key: styles, label: 'Styles', type: 'multiselect', options: ['chic', 'casual', 'boho'] });
    [{ id: customerId }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, custom_fields) values ('Guarded', $1) returning id`,
      [{ [tier]: 'gold', [styles]: ['chic'] }],
    );
  });
  afterAll(() => cast?.end());

  const change = (match: string, fields: Record<string, unknown>) =>
    cast.client('admin').from('custom_field_definitions').update(fields).eq('key', match).select('key');

  it('refuses to change the type or the key of a field in use', async () => {
    const type = await change(tier, { type: 'text', options: [] });
    expect(type.error?.code).toBe('23503');
    expect(type.error?.message).toBe(
      `custom field "${tier}" is set on 1 customer(s): its type cannot change from select to text`,
    );
    const renamed = await change(tier, { key: key('tier_renamed') });
    expect(renamed.error?.code).toBe('23503');
    expect(renamed.error?.message).toMatch(/its key cannot change/);
  });

  it('refuses to remove an option in use, allows removing one nobody uses', async () => {
    const inUse = await change(tier, { options: ['silver', 'bronze'] });
    expect(inUse.error?.code).toBe('23503');
    expect(inUse.error?.message).toBe(
      `custom field "${tier}": option "gold" is used by 1 customer(s) and cannot be removed`,
    );
    const multi = await change(styles, { options: ['casual', 'boho'] });
    expect(multi.error?.message).toMatch(/option "chic" is used by 1 customer/);

    expect((await change(tier, { options: ['gold', 'silver'] })).error).toBeNull();
    expect((await change(styles, { options: ['chic', 'casual', 'linen'] })).error).toBeNull();
  });

  it('refuses to delete a field in use (archive it instead); deletes it once unused', async () => {
    const remove = () => cast.client('admin').from('custom_field_definitions').delete().eq('key', tier).select('key');
    const refused = await remove();
    expect(refused.error?.code).toBe('23503');
    expect(refused.error?.message).toMatch(/archive it \(active = false\) or remove those values first/);
    expect((await change(tier, { active: false })).error).toBeNull();

    await cast
      .client('admin')
      .from('customers')
      .update({ custom_fields: { [styles]: ['chic'] } })
      .eq('id', customerId);
    expect((await remove()).data).toEqual([{ key: tier }]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a select field without options', { type: 'select', options: [] }, /give it at least one option/],
    ['repeated options', { type: 'multiselect', options: ['a', 'a'] }, /options must be unique/],
    ['an option with surrounding spaces', { type: 'select', options: [' a'] }, /without surrounding spaces/],
    ['options on a text field', { type: 'text', options: ['a'] }, /only select and multiselect fields have options/],
  ])('refuses a definition with %s', async (_, fields, message) => {
    const { error } = await cast
      .client('admin')
      .from('custom_field_definitions')
      .insert({ key: key('bad'), label: 'Bad', ...fields });
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(message);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a key that is not a slug', { key: 'Shoe Size', type: 'text' }, '23514', /custom_field_definitions_key_is_a_slug/],
    ['an unknown type', { key: key('odd'), type: 'colour' }, '22P02', /custom_field_type/],
    ['a duplicate key', { key: styles, type: 'text' }, '23505', /custom_field_definitions_key_key/],
  ])('refuses %s', async (_, fields, code, message) => {
    const { error } = await cast
      .client('admin')
      .from('custom_field_definitions')
      .insert({ label: 'Bad', ...fields });
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(message);
  });

  it('writes an audit row for every change to a definition, with the actor', async () => {
    const created = await cast
      .client('admin')
      .from('custom_field_definitions')
      .insert({ key: key('audited'), label: 'Audited', type: 'text' })
      .select('id')
      .single();
    const id = (created.data as { id: string }).id;
    await cast.client('admin').from('custom_field_definitions').update({ label: 'Audited twice' }).eq('id', id);
    await cast.client('admin').from('custom_field_definitions').delete().eq('id', id);
    const rows = await adminSql<{ action: string; actor_id: string }>(
      `select action, actor_id from public.audit_log where table_name = 'custom_field_definitions' and row_id = $1 order by id`,
      [id],
    );
    expect(rows.map((row) => row.action)).toEqual(['INSERT', 'UPDATE', 'DELETE']);
    expect(rows.every((row) => row.actor_id === cast.people.admin.userId)).toBe(true);
  });

  it('a customer’s custom field changes reach its audit trail', async () => {
    const rows = await adminSql<{ after: { custom_fields: Record<string, unknown> } }>(
      `select after from public.audit_log where table_name = 'customers' and row_id = $1 and action = 'UPDATE' order by id`,
      [customerId],
    );
    expect(rows.at(-1)?.after.custom_fields).toEqual({ [styles]: ['chic'] });
  });
});
