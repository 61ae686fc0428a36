import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createProduct, uniqueTag } from '../../../scripts/testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createCast, type Cast, type Caller } from '../../../scripts/testing/support/team.ts';

/**
 * Favourites and alerts: role matrix for favorites, alert settings, per-product overrides,
 * per-shopper preferences and the alert log; the price snapshot trigger; bad input.
 * The cast's shopper is linked to a customer owned by `agent` (not `agent2`).
 */

const STAFF_WHO_SEE_ALL: Caller[] = ['admin', 'manager', 'readonly', 'service_role'];

describe('favourites', () => {
  let cast: Cast;
  let variant: { productId: string; variantId: string };
  let otherCustomer: string;
  let othersFavorite: string;

  beforeAll(async () => {
    cast = await createCast('favorites');
    variant = await createProduct({ price: 80, currency: 'EUR' });
    otherCustomer = await createCustomer(cast.people.agent2.userId);
    [{ id: othersFavorite }] = await adminSql<{ id: string }>(
      `insert into public.favorites (customer_id, variant_id) values ($1, $2) returning id`,
      [otherCustomer, variant.variantId],
    );
  });
  afterAll(() => cast?.end());

  const addFavorite = (caller: Caller, fields: Record<string, unknown>) =>
    cast.client(caller).from('favorites').insert(fields).select('id, price_at_favorite, currency').single();

  it('a shopper favourites a variant; the price snapshot comes from the variant, not the client', async () => {
    const forged = await addFavorite('shopper', {
      customer_id: cast.shopperCustomerId,
      variant_id: variant.variantId,
      price_at_favorite: 1,
    });
    expect(forged.error?.code).toBe('42501');
    const added = await addFavorite('shopper', { customer_id: cast.shopperCustomerId, variant_id: variant.variantId });
    expect(added.error).toBeNull();
    expect(added.data).toMatchObject({ price_at_favorite: 80, currency: 'EUR' });
    const again = await addFavorite('shopper', { customer_id: cast.shopperCustomerId, variant_id: variant.variantId });
    expect(again.error?.code).toBe('23505');
  });

  it('service role writes (the heart-button API) get the same snapshot', async () => {
    const { variantId } = await createProduct({ price: 19.99, currency: 'USD' });
    const added = await addFavorite('service_role', {
      customer_id: otherCustomer,
      variant_id: variantId,
      price_at_favorite: 0.01,
      currency: 'EUR',
    });
    expect(added.data).toMatchObject({ price_at_favorite: 19.99, currency: 'USD' });
  });

  it('a shopper cannot favourite for someone else, nor a product outside the public catalogue', async () => {
    const forOther = await addFavorite('shopper', { customer_id: otherCustomer, variant_id: variant.variantId });
    expect(forOther.error?.code).toBe('42501');
    const draft = await createProduct({ status: 'draft' });
    const hidden = await addFavorite('shopper', { customer_id: cast.shopperCustomerId, variant_id: draft.variantId });
    expect(hidden.error).toMatchObject({ code: '42501', message: 'this product is not available' });
  });

  it.each(['admin', 'manager', 'agent', 'readonly', 'stranger', 'anon'] as Caller[])(
    '%s cannot add favourites for a shopper',
    async (caller) => {
      const { variantId } = await createProduct();
      const { error } = await addFavorite(caller, { customer_id: cast.shopperCustomerId, variant_id: variantId });
      expect(error?.code).toBe('42501');
    },
  );

  describe('who reads which favourites', () => {
    const visible = async (caller: Caller) => {
      const { data, error } = await cast
        .client(caller)
        .from('favorites')
        .select('customer_id')
        .in('customer_id', [cast.shopperCustomerId, otherCustomer])
        .eq('variant_id', variant.variantId);
      expect(error).toBeNull();
      return (data ?? []).map((row) => row.customer_id as string).sort();
    };

    it.each(STAFF_WHO_SEE_ALL)('%s reads every favourite', async (caller) => {
      expect(await visible(caller)).toEqual([cast.shopperCustomerId, otherCustomer].sort());
    });

    it("an agent reads their customers' favourites only", async () => {
      expect(await visible('agent')).toEqual([cast.shopperCustomerId]);
      expect(await visible('agent2')).toEqual([otherCustomer]);
    });

    it('a shopper reads their own only; a stranger none; anon is refused', async () => {
      expect(await visible('shopper')).toEqual([cast.shopperCustomerId]);
      expect(await visible('stranger')).toEqual([]);
      await expect(cast.sql('anon', 'select 1 from public.favorites limit 1')).rejects.toMatchObject({ code: '42501' });
    });

    it('the same rules hold in SQL as the role', async () => {
      const count = async (caller: Caller) =>
        (
          await cast.sql<{ n: number }>(
            caller,
            'select count(*)::int as n from public.favorites where variant_id = $1 and customer_id = any($2)',
            [variant.variantId, [cast.shopperCustomerId, otherCustomer]],
          )
        )[0].n;
      expect(await count('manager')).toBe(2);
      expect(await count('agent2')).toBe(1);
      expect(await count('shopper')).toBe(1);
      expect(await count('stranger')).toBe(0);
    });
  });

  it('nobody edits a favourite; only its shopper removes it', async () => {
    for (const caller of ['shopper', 'admin', 'agent2'] as Caller[]) {
      const { error } = await cast
        .client(caller)
        .from('favorites')
        .update({ price_at_favorite: 1 })
        .eq('id', othersFavorite);
      expect(error?.code, caller).toBe('42501');
    }
    for (const caller of ['shopper', 'admin', 'manager', 'agent2', 'readonly', 'stranger'] as Caller[]) {
      const { data } = await cast.client(caller).from('favorites').delete().eq('id', othersFavorite).select('id');
      expect(data ?? [], caller).toEqual([]);
    }
    const { variantId } = await createProduct();
    const mine = await addFavorite('shopper', { customer_id: cast.shopperCustomerId, variant_id: variantId });
    const id = (mine.data as { id: string }).id;
    const removed = await cast.client('shopper').from('favorites').delete().eq('id', id).select('id');
    expect(removed.data).toEqual([{ id }]);
  });

  it('a favourited product stays visible to its shopper after it leaves the catalogue', async () => {
    const product = await createProduct();
    await addFavorite('shopper', { customer_id: cast.shopperCustomerId, variant_id: product.variantId });
    await adminSql(`update public.products set status = 'archived' where id = $1`, [product.productId]);
    const shopperView = await cast
      .client('shopper')
      .from('product_variants')
      .select('id, products(id, status)')
      .eq('id', product.variantId);
    expect(shopperView.data).toEqual([
      { id: product.variantId, products: { id: product.productId, status: 'archived' } },
    ]);
    for (const caller of ['stranger', 'anon'] as Caller[]) {
      const { data } = await cast.client(caller).from('product_variants').select('id').eq('id', product.variantId);
      expect(data, caller).toEqual([]);
    }
  });

  it('favourites are audited with the shopper as actor', async () => {
    const { variantId } = await createProduct();
    const added = await addFavorite('shopper', { customer_id: cast.shopperCustomerId, variant_id: variantId });
    const id = (added.data as { id: string }).id;
    const rows = await adminSql<{ action: string; actor_id: string }>(
      `select action, actor_id from public.audit_log where table_name = 'favorites' and row_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ action: 'INSERT', actor_id: cast.people.shopper.userId }]);
  });
});

describe('alert settings and per-product overrides', () => {
  let cast: Cast;
  beforeAll(async () => (cast = await createCast('alert-settings')));
  afterAll(() => cast?.end());

  it('the team reads the settings; shoppers and strangers do not; anon is refused', async () => {
    for (const caller of ['admin', 'manager', 'agent', 'readonly', 'service_role'] as Caller[]) {
      const { data } = await cast.client(caller).from('alert_settings').select('price_drop_threshold_percent');
      expect(data, caller).toHaveLength(1);
    }
    for (const caller of ['shopper', 'stranger'] as Caller[]) {
      const { data } = await cast.client(caller).from('alert_settings').select('id');
      expect(data, caller).toEqual([]);
    }
    await expect(cast.sql('anon', 'select 1 from public.alert_settings')).rejects.toMatchObject({ code: '42501' });
  });

  it('only admins change them; nobody adds or removes the row', async () => {
    const [{ daily_cap_per_shopper: cap }] = await adminSql<{ daily_cap_per_shopper: number }>(
      'select daily_cap_per_shopper from public.alert_settings',
    );
    for (const caller of ['manager', 'agent', 'readonly', 'shopper'] as Caller[]) {
      const { data } = await cast
        .client(caller)
        .from('alert_settings')
        .update({ daily_cap_per_shopper: 50 })
        .eq('id', true)
        .select('id');
      expect(data ?? [], caller).toEqual([]);
    }
    const updated = await cast
      .client('admin')
      .from('alert_settings')
      .update({ daily_cap_per_shopper: cap })
      .eq('id', true)
      .select('daily_cap_per_shopper');
    expect(updated.data).toEqual([{ daily_cap_per_shopper: cap }]);
    const inserted = await cast.client('admin').from('alert_settings').insert({ id: true });
    expect(inserted.error?.code).toBe('42501');
    const deleted = await cast.client('admin').from('alert_settings').delete().eq('id', true);
    expect(deleted.error?.code).toBe('42501');
  });

  it.each([
    ['a zero threshold', { price_drop_threshold_percent: 0 }, /alert_settings_threshold_range/],
    ['a threshold above 100 %', { price_drop_threshold_percent: 101 }, /alert_settings_threshold_range/],
    ['a zero daily cap', { daily_cap_per_shopper: 0 }, /alert_settings_daily_cap_range/],
    ['half of the quiet hours', { quiet_hours_start: '22:00', quiet_hours_end: null }, /quiet_hours_both_or_neither/],
  ])('refuses %s', async (_, fields, mentions) => {
    const { error } = await cast.client('admin').from('alert_settings').update(fields).eq('id', true);
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(mentions);
  });

  it('admins and managers set per-product thresholds; agents and others cannot', async () => {
    const { productId, variantId } = await createProduct();
    for (const caller of ['agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      const { error } = await cast
        .client(caller)
        .from('product_alert_overrides')
        .insert({ product_id: productId, price_drop_threshold_percent: 5 });
      expect(error?.code, caller).toBe('42501');
    }
    const byManager = await cast
      .client('manager')
      .from('product_alert_overrides')
      .insert({ product_id: productId, price_drop_threshold_percent: 5 })
      .select('id')
      .single();
    expect(byManager.error).toBeNull();
    const both = await cast
      .client('manager')
      .from('product_alert_overrides')
      .insert({ product_id: productId, variant_id: variantId, price_drop_threshold_percent: 5 });
    expect(both.error?.message).toMatch(/product_alert_overrides_one_target/);
    const agentSees = await cast
      .client('agent')
      .from('product_alert_overrides')
      .select('id')
      .eq('product_id', productId);
    expect(agentSees.data).toHaveLength(1);
    const shopperSees = await cast
      .client('shopper')
      .from('product_alert_overrides')
      .select('id')
      .eq('product_id', productId);
    expect(shopperSees.data).toEqual([]);
    const agentEdit = await cast
      .client('agent')
      .from('product_alert_overrides')
      .update({ price_drop_threshold_percent: 50 })
      .eq('product_id', productId)
      .select('id');
    expect(agentEdit.data).toEqual([]);
    const removed = await cast
      .client('admin')
      .from('product_alert_overrides')
      .delete()
      .eq('product_id', productId)
      .select('id');
    expect(removed.data).toHaveLength(1);
  });
});

describe('alert preferences', () => {
  let cast: Cast;
  let agent2sCustomer: string;
  beforeAll(async () => {
    cast = await createCast('alert-prefs');
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
  });
  afterAll(() => cast?.end());

  it('a shopper manages their own preferences and nobody else’s', async () => {
    const own = await cast
      .client('shopper')
      .from('alert_preferences')
      .insert({ customer_id: cast.shopperCustomerId, price_drop_threshold_percent: 20, back_in_stock: false })
      .select('customer_id')
      .single();
    expect(own.error).toBeNull();
    const edited = await cast
      .client('shopper')
      .from('alert_preferences')
      .update({ price_drop: false })
      .eq('customer_id', cast.shopperCustomerId)
      .select('price_drop');
    expect(edited.data).toEqual([{ price_drop: false }]);
    const other = await cast.client('shopper').from('alert_preferences').insert({ customer_id: agent2sCustomer });
    expect(other.error?.code).toBe('42501');
    const moved = await cast
      .client('shopper')
      .from('alert_preferences')
      .update({ customer_id: agent2sCustomer })
      .eq('customer_id', cast.shopperCustomerId);
    expect(moved.error?.code).toBe('42501');
  });

  it('staff read with the customer pattern; owning agents, managers and admins edit; readonly does not', async () => {
    await adminSql('insert into public.alert_preferences (customer_id) values ($1) on conflict do nothing', [
      agent2sCustomer,
    ]);
    const ids = [cast.shopperCustomerId, agent2sCustomer];
    const visible = async (caller: Caller) =>
      ((await cast.client(caller).from('alert_preferences').select('customer_id').in('customer_id', ids)).data ?? [])
        .map((row) => row.customer_id as string)
        .sort();
    expect(await visible('readonly')).toEqual([...ids].sort());
    expect(await visible('agent')).toEqual([cast.shopperCustomerId]);
    expect(await visible('agent2')).toEqual([agent2sCustomer]);
    expect(await visible('shopper')).toEqual([cast.shopperCustomerId]);
    expect(await visible('stranger')).toEqual([]);
    await expect(cast.sql('anon', 'select 1 from public.alert_preferences limit 1')).rejects.toMatchObject({
      code: '42501',
    });

    const edit = (caller: Caller, id: string) =>
      cast
        .client(caller)
        .from('alert_preferences')
        .update({ back_in_stock: true })
        .eq('customer_id', id)
        .select('customer_id');
    expect((await edit('agent2', agent2sCustomer)).data).toHaveLength(1);
    expect((await edit('agent2', cast.shopperCustomerId)).data).toEqual([]);
    expect((await edit('readonly', agent2sCustomer)).data).toEqual([]);
    expect((await edit('manager', cast.shopperCustomerId)).data).toHaveLength(1);
    const removedByReadonly = await cast
      .client('readonly')
      .from('alert_preferences')
      .delete()
      .eq('customer_id', agent2sCustomer)
      .select('customer_id');
    expect(removedByReadonly.data).toEqual([]);
    const removedByAdmin = await cast
      .client('admin')
      .from('alert_preferences')
      .delete()
      .eq('customer_id', agent2sCustomer)
      .select('customer_id');
    expect(removedByAdmin.data).toHaveLength(1);
  });

  it.each([
    ['a threshold above 100 %', { price_drop_threshold_percent: 150 }, /alert_preferences_threshold_range/],
    ['a negative threshold', { price_drop_threshold_percent: -5 }, /alert_preferences_threshold_range/],
    ['half of the quiet hours', { quiet_hours_end: '07:00' }, /alert_preferences_quiet_hours_both_or_neither/],
  ])('refuses %s', async (_, fields, mentions) => {
    const { error } = await cast
      .client('shopper')
      .from('alert_preferences')
      .update(fields)
      .eq('customer_id', cast.shopperCustomerId);
    expect(error?.code).toBe('23514');
    expect(error?.message).toMatch(mentions);
  });
});

describe('alert log', () => {
  let cast: Cast;
  let variantId: string;
  let priceHistoryId: number;
  let stockHistoryId: number;
  let agent2sCustomer: string;
  let shopperAlert: number;
  let otherAlert: number;

  beforeAll(async () => {
    cast = await createCast('alert-log');
    ({ variantId } = await createProduct({ price: 100, inventory: 0 }));
    await adminSql('update public.product_variants set price = 80, inventory_quantity = 3 where id = $1', [variantId]);
    [{ id: priceHistoryId }] = await adminSql<{ id: number }>(
      'select id from public.price_history where variant_id = $1 order by id desc limit 1',
      [variantId],
    );
    [{ id: stockHistoryId }] = await adminSql<{ id: number }>(
      'select id from public.stock_history where variant_id = $1 order by id desc limit 1',
      [variantId],
    );
    agent2sCustomer = await createCustomer(cast.people.agent2.userId);
    const log = async (customerId: string) => {
      const { data, error } = await cast
        .client('service_role')
        .from('alert_log')
        .insert({
          customer_id: customerId,
          variant_id: variantId,
          kind: 'price_drop',
          price_history_id: priceHistoryId,
          dedup_key: `price_drop:${customerId}:${priceHistoryId}`,
          old_price: 100,
          new_price: 80,
          currency: 'EUR',
        })
        .select('id')
        .single();
      expect(error).toBeNull();
      return (data as { id: number }).id;
    };
    shopperAlert = await log(cast.shopperCustomerId);
    otherAlert = await log(agent2sCustomer);
  });
  afterAll(() => cast?.end());

  const visible = async (caller: Caller) => {
    const { data, error } = await cast
      .client(caller)
      .from('alert_log')
      .select('id')
      .in('id', [shopperAlert, otherAlert]);
    expect(error).toBeNull();
    return (data ?? []).map((row) => row.id as number).sort((a, b) => a - b);
  };

  it('staff read with the customer pattern, the shopper their own history, strangers nothing', async () => {
    const both = [shopperAlert, otherAlert].sort((a, b) => a - b);
    for (const caller of STAFF_WHO_SEE_ALL) expect(await visible(caller), caller).toEqual(both);
    expect(await visible('agent')).toEqual([shopperAlert]);
    expect(await visible('agent2')).toEqual([otherAlert]);
    expect(await visible('shopper')).toEqual([shopperAlert]);
    expect(await visible('stranger')).toEqual([]);
    await expect(cast.sql('anon', 'select 1 from public.alert_log limit 1')).rejects.toMatchObject({ code: '42501' });
  });

  it('only the service role writes the log', async () => {
    for (const caller of ['admin', 'manager', 'agent', 'shopper', 'anon'] as Caller[]) {
      const { error } = await cast
        .client(caller)
        .from('alert_log')
        .insert({ customer_id: cast.shopperCustomerId, kind: 'back_in_stock', dedup_key: `forged-${uniqueTag()}` });
      expect(error?.code, caller).toBe('42501');
      const updated = await cast.client(caller).from('alert_log').update({ state: 'sent' }).eq('id', shopperAlert);
      expect(updated.error?.code, caller).toBe('42501');
      const deleted = await cast.client(caller).from('alert_log').delete().eq('id', shopperAlert);
      expect(deleted.error?.code, caller).toBe('42501');
    }
    const sent = await cast
      .client('service_role')
      .from('alert_log')
      .update({ state: 'sent', sent_at: new Date().toISOString(), message_id: 'sg-123' })
      .eq('id', shopperAlert)
      .select('state');
    expect(sent.data).toEqual([{ state: 'sent' }]);
  });

  it('never twice for the same event, and the trigger event matches the kind', async () => {
    const duplicate = await cast
      .client('service_role')
      .from('alert_log')
      .insert({
        customer_id: cast.shopperCustomerId,
        kind: 'price_drop',
        dedup_key: `price_drop:${cast.shopperCustomerId}:${priceHistoryId}`,
      });
    expect(duplicate.error?.code).toBe('23505');
    const mismatched = await cast
      .client('service_role')
      .from('alert_log')
      .insert({
        customer_id: cast.shopperCustomerId,
        kind: 'price_drop',
        stock_history_id: stockHistoryId,
        dedup_key: `mismatch-${uniqueTag()}`,
      });
    expect(mismatched.error?.message).toMatch(/alert_log_trigger_event_matches_kind/);
    const sentWithoutTime = await cast
      .client('service_role')
      .from('alert_log')
      .insert({
        customer_id: cast.shopperCustomerId,
        kind: 'back_in_stock',
        stock_history_id: stockHistoryId,
        state: 'sent',
        dedup_key: `nosent-${uniqueTag()}`,
      });
    expect(sentWithoutTime.error?.message).toMatch(/alert_log_sent_has_time/);
  });
});
