/**
 * The admins' privacy tools (issue 12). Retention (20261208141000): the admins' periods in
 * workspace_settings (refused to everyone else), the daily purge of alert log, email events,
 * notifications, webhook payloads, audit and export log entries and closed privacy requests —
 * older rows go, in bounded chunks, what is still needed stays, a second run finds nothing — and
 * the admins' overview. The audit viewer (20261208143000): filters, paging, what changed, admins
 * only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createShop } from '../../../scripts/testing/support/commerce.ts';
import { type Caller, type Cast, createCast } from '../../../scripts/testing/support/team.ts';

let cast: Cast;
beforeAll(async () => {
  cast = await createCast('retention');
});
afterAll(async () => {
  await adminSql(`update public.workspace_settings set alert_log_retention_days = 365`);
  await cast?.end();
});

const OLD = '2020-01-15T12:00:00Z';

describe('retention periods', () => {
  it('only admins change them, within their bounds; every member reads them', async () => {
    const others: Caller[] = ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'];
    for (const caller of others) {
      const { data, error } = await cast
        .client(caller)
        .from('workspace_settings')
        .update({ alert_log_retention_days: 400, erasure_waits_for_open_orders: true })
        .eq('id', true)
        .select('id');
      expect(error !== null || (data ?? []).length === 0, caller).toBe(true);
    }
    const [unchanged] = await adminSql<{ days: number; waits: boolean }>(
      'select alert_log_retention_days as days, erasure_waits_for_open_orders as waits from public.workspace_settings',
    );
    expect(unchanged).toEqual({ days: 365, waits: false });

    const admin = cast.client('admin').from('workspace_settings');
    const ok = await admin.update({ alert_log_retention_days: 400 }).eq('id', true).select('alert_log_retention_days');
    expect(ok.data).toEqual([{ alert_log_retention_days: 400 }]);
    for (const bad of [
      { alert_log_retention_days: 30 },
      { audit_log_retention_days: 100 },
      { webhook_payload_retention_days: 1000 },
      { privacy_request_retention_days: -1 },
      { email_event_retention_days: 0 },
      { export_log_retention_days: 99999 },
    ]) {
      expect((await admin.update(bad).eq('id', true)).error?.code, JSON.stringify(bad)).toBe('23514');
    }
    expect(
      (await admin.update({ audit_log_retention_days: 'forever' as unknown as number }).eq('id', true)).error?.code,
    ).toBe('22P02');
    await admin.update({ alert_log_retention_days: 365 }).eq('id', true);
    const read = await cast.client('readonly').from('workspace_settings').select('audit_log_retention_days').single();
    expect(read.data).toEqual({ audit_log_retention_days: 730 });
  });

  it('the overview is for admins only', async () => {
    const { data, error } = await cast.client('admin').rpc('retention_overview');
    expect(error).toBeNull();
    expect((data as Array<{ kind: string; days: number }>).map((row) => [row.kind, row.days])).toEqual([
      ['alert_log', 365],
      ['audit_log', 730],
      ['email_events', 365],
      ['export_log', 730],
      ['notifications', 90],
      ['privacy_requests', 1095],
      ['webhook_deliveries', 30],
    ]);
    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      expect((await cast.client(caller).rpc('retention_overview')).error?.code, caller).toBe('42501');
    }
    for (const caller of ['admin', 'manager', 'shopper', 'anon'] as Caller[]) {
      await expect(cast.sql(caller, 'select private.purge_retained_data()')).rejects.toMatchObject({ code: '42501' });
    }
  });
});

describe('the retention purge', () => {
  it('removes what is past its period in chunks, keeps what is still needed, and finds nothing the second time', async () => {
    const tag = randomUUID().slice(0, 8);
    const customerId = cast.shopperCustomerId;
    const admin = cast.people.admin.userId;
    const shopId = await createShop();
    const ids = async (sql: string, params: unknown[] = []) =>
      (await adminSql<{ id: string }>(sql, params)).map((r) => r.id);

    const alerts = await ids(
      `insert into public.alert_log (customer_id, kind, dedup_key, state, created_at, sent_at)
       select $1, 'price_drop', $2 || n, s::public.alert_state, t::timestamptz, case when s = 'sent' then t::timestamptz end
       from (values (1, 'sent', $3), (2, 'suppressed', $3), (3, 'queued', $3), (4, 'sent', now()::text)) v (n, s, t)
       returning id::text`,
      [customerId, `ret-${tag}-`, OLD],
    );
    const events = await ids(
      `insert into public.email_events (sg_event_id, event, email, occurred_at, payload)
       values ($1 || '1', 'open', 'a@example.test', $2, '{}'), ($1 || '2', 'open', 'a@example.test', now(), '{}')
       returning id::text`,
      [`ret-${tag}-`, OLD],
    );
    const notes = await ids(
      `insert into public.notifications (recipient_id, kind, title, created_at)
       values ($1, 'system', 'old', $2), ($1, 'system', 'new', now()) returning id::text`,
      [admin, OLD],
    );
    const deliveries = await ids(
      `insert into public.webhook_deliveries (shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, status, received_at)
       select $1, 'orders/create', $2 || n, 'w', now(), '2026-01', '{"email":"x@example.test"}', s::public.webhook_delivery_status, t::timestamptz
       from (values (1, 'applied', $3), (2, 'failed', $3), (3, 'applied', now()::text)) v (n, s, t)
       returning id::text`,
      [shopId, `ret-${tag}-`, OLD],
    );
    const audits = await ids(
      `insert into public.audit_log (actor_role, action, table_name, row_id, occurred_at)
       values ('postgres', 'UPDATE', 'retention_test', $1, $2), ('postgres', 'UPDATE', 'retention_test', $1, now()) returning id::text`,
      [tag, OLD],
    );
    const exports = await ids(
      `insert into public.export_log (actor_id, kind, row_count, exported_at)
       values ($1, 'customers_csv', 1, $2), ($1, 'customers_csv', 1, now()) returning id::text`,
      [admin, OLD],
    );
    const requests = await ids(
      `insert into public.privacy_requests (customer_id, kind, source, status, completed_at, refusal_reason)
       values ($1, 'access', 'staff', 'completed', $2, null), ($1, 'access', 'staff', 'refused', now(), 'Asked twice the same day.'),
              ($1, 'erasure', 'staff', 'open', null, null)
       returning id::text`,
      [customerId, OLD],
    );

    const left = async () =>
      (
        await adminSql<Record<string, string[]>>(
          `select
             array(select id::text from public.alert_log where id = any($1::bigint[]) order by id) as alert_log,
             array(select id::text from public.email_events where id = any($2::bigint[]) order by id) as email_events,
             array(select id::text from public.notifications where id = any($3::uuid[]) order by created_at) as notifications,
             array(select id::text from public.webhook_deliveries where id = any($4::bigint[]) order by id) as webhook_deliveries,
             array(select id::text from public.audit_log where id = any($5::bigint[]) order by id) as audit_log,
             array(select id::text from public.export_log where id = any($6::bigint[]) order by id) as export_log,
             array(select id::text from public.privacy_requests where id = any($7::uuid[]) order by id::text) as privacy_requests`,
          [alerts, events, notes, deliveries, audits, exports, requests],
        )
      )[0];

    // One row per kind and run: the old alert rows need two runs of one chunk of one.
    const [{ summary: small }] = await adminSql<{ summary: Record<string, number> }>(
      `select private.purge_retained_data(1, 1) as summary`,
    );
    expect(small.alert_log).toBe(1);
    const [run] = await adminSql<{ complete: boolean }>(
      `select complete from private.retention_runs where kind = 'alert_log' order by id desc limit 1`,
    );
    expect(run.complete).toBe(false);

    await adminSql(`select private.purge_retained_data(2, 1000)`);
    const after = await left();
    expect(after.alert_log).toEqual([alerts[2], alerts[3]]); // queued stays; recent stays
    expect(after.email_events).toEqual([events[1]]);
    expect(after.notifications).toEqual([notes[1]]);
    expect(after.webhook_deliveries).toEqual([deliveries[1], deliveries[2]]); // failed waits for someone
    expect(after.audit_log).toEqual([audits[1]]);
    expect(after.export_log).toEqual([exports[1]]);
    expect(after.privacy_requests).toEqual([requests[1], requests[2]].sort());

    const [{ summary: again }] = await adminSql<{ summary: Record<string, number> }>(
      `select private.purge_retained_data() as summary`,
    );
    expect(
      Object.values(again).every((n) => n === 0),
      JSON.stringify(again),
    ).toBe(true);
    expect(await left()).toEqual(after);
    const overview = (await cast.client('admin').rpc('retention_overview')).data as Array<{
      kind: string;
      last_removed: number;
      last_complete: boolean;
    }>;
    expect(overview.every((row) => row.last_removed === 0 && row.last_complete)).toBe(true);

    await expect(adminSql(`select private.purge_retained_data(0, 1)`)).rejects.toMatchObject({ code: '22023' });
    const [{ command }] = await adminSql<{ command: string }>(
      `select command from cron.job where jobname = 'purge-retained-data'`,
    );
    expect(command).toContain('purge_retained_data');
    expect(
      await adminSql(
        `select 1 from cron.job where jobname in ('purge-notifications', 'purge-shopify-webhook-deliveries')`,
      ),
    ).toEqual([]);
  }, 60_000);
});

describe('the audit viewer', () => {
  it('pages the log newest first with filters, shows what changed and who did it; admins only', async () => {
    const tag = randomUUID().slice(0, 8);
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email) values ('Aud', $1, $2) returning id`,
      [`Itor${tag}`, `audit-${tag}@example.test`],
    );
    const manager = cast.client('manager');
    const started = new Date(Date.now() - 1000).toISOString();
    expect((await manager.from('customers').update({ city: 'Lyon' }).eq('id', customer)).error).toBeNull();
    expect(
      (await manager.from('customers').update({ city: 'Nantes', company: 'Acme' }).eq('id', customer)).error,
    ).toBeNull();
    await adminSql(`insert into public.activities (customer_id, kind, subject) values ($1, 'note', 'Called')`, [
      customer,
    ]);

    const admin = cast.client('admin');
    const page = async (args: Record<string, unknown>) => {
      const { data, error } = await admin.rpc('audit_entries', args);
      expect(error, JSON.stringify(error)).toBeNull();
      return data as Array<{
        id: number;
        actor_id: string | null;
        actor_name: string | null;
        action: string;
        table_name: string;
        changes: Record<string, unknown>;
      }>;
    };
    const all = await page({ customer });
    expect(all.map((entry) => [entry.table_name, entry.action])).toEqual([
      ['activities', 'INSERT'],
      ['customers', 'UPDATE'],
      ['customers', 'UPDATE'],
      ['customers', 'INSERT'],
    ]);
    expect(all[1]).toMatchObject({
      actor_id: cast.people.manager.userId,
      actor_name: expect.stringContaining('manager'),
      changes: { city: { before: 'Lyon', after: 'Nantes' }, company: { before: null, after: 'Acme' } },
    });
    expect(Object.keys(all[1].changes).sort()).toEqual(['city', 'company']);

    expect((await page({ customer, actor: cast.people.manager.userId })).length).toBe(2);
    expect((await page({ customer, action_filter: 'INSERT', table_filter: 'customers' })).length).toBe(1);
    expect((await page({ customer, since: started, until: new Date(Date.now() + 60_000).toISOString() })).length).toBe(
      4,
    );
    expect(await page({ customer, until: started })).toEqual([]);
    // Keyset paging: two pages of two, no overlap.
    const first = await page({ customer, page_size: 2 });
    const second = await page({ customer, page_size: 2, before_id: first[1].id });
    expect([...first, ...second].map((entry) => entry.id)).toEqual(all.map((entry) => entry.id));

    for (const caller of ['manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'] as Caller[]) {
      expect((await cast.client(caller).rpc('audit_entries', { customer })).error?.code, caller).toBe('42501');
    }
    for (const bad of [
      { page_size: 0 },
      { page_size: 201 },
      { action_filter: 'TRUNCATE' },
      { table_filter: "customers'; drop table x; --" },
      { since: '2026-12-02T00:00:00Z', until: '2026-12-01T00:00:00Z' },
    ]) {
      expect((await admin.rpc('audit_entries', bad)).error?.code, JSON.stringify(bad)).toBe('22023');
    }
    expect((await admin.rpc('audit_entries', { customer: 'not-a-uuid' })).error?.code).toBe('22P02');
  });
});
