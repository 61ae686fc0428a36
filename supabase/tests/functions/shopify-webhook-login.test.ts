/**
 * The shopify-webhook function's own database login (ADR 0005, migration 20261207140000): the
 * function connects as `cairn_shopify_webhook`, never as the owner; that role may execute the
 * two functions ingestion needs and nothing else — no table, no other function, no schema but
 * public, no other role; and ingestion still works through it, end to end.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../../scripts/data/shopify/payloads.ts';
import { FUNCTION_LOGINS, functionLoginUrl } from '@cairn/local-stack/db-logins.ts';
import { functionEnv } from '@cairn/local-stack/functions/catalog.ts';
import { uniqueExternalId, uniqueTag } from '../../../scripts/testing/support/commerce.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';

const ROLE = 'cairn_shopify_webhook';
const SHOP = 'cairn-demo.myshopify.com';
const SECRET = 'cairn-demo-shopify-webhook-secret';
const login = FUNCTION_LOGINS.find((entry) => entry.role === ROLE);
if (!login) throw new Error(`${ROLE} is not a function login of the stack`);

let webhook: pg.Client;

beforeAll(async () => {
  webhook = new pg.Client({ connectionString: functionLoginUrl(config, login) });
  await webhook.connect();
});

afterAll(async () => {
  await webhook?.end();
});

/** The SQLSTATE a statement run as the webhook's login fails with (null when it succeeds). */
async function refusal(sql: string, params: unknown[] = []): Promise<string | null> {
  await webhook.query('begin');
  try {
    await webhook.query(sql, params);
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'unknown';
  } finally {
    await webhook.query('rollback');
  }
}

describe('the shopify-webhook function signs in as its own login', () => {
  it('gets the login’s URL from the stack, never the owner’s', () => {
    const env = functionEnv(config);
    expect(new URL(env.SHOPIFY_WEBHOOK_DB_URL).username).toBe(ROLE);
    expect(env.SHOPIFY_WEBHOOK_DB_URL).not.toBe(env.SUPABASE_DB_URL);
  });

  it('ingests a signed delivery through it', async () => {
    const id = uniqueExternalId();
    const email = `login-${uniqueTag()}@example.test`;
    const now = new Date().toISOString();
    const body = JSON.stringify({ id, email, first_name: 'Lou', created_at: now, updated_at: now });
    const response = await fetch(`${config.apiUrl}/functions/v1/shopify-webhook`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': 'customers/create',
        'X-Shopify-Shop-Domain': SHOP,
        'X-Shopify-API-Version': '2025-07',
        'X-Shopify-Webhook-Id': randomUUID(),
        'X-Shopify-Event-Id': randomUUID(),
        'X-Shopify-Triggered-At': now,
        'X-Shopify-Hmac-Sha256': signBody(body, SECRET),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'applied', outcome: 'created' });
    expect(await adminSql(`select email from public.customers where email = $1`, [email])).toEqual([{ email }]);
    // The function's pool keeps its connections open a while: they are the login's (this test's
    // own connection as the login left out).
    const own = (await webhook.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    const sessions = await adminSql(`select 1 from pg_stat_activity where usename = $1 and pid <> $2`, [ROLE, own]);
    expect(sessions.length).toBeGreaterThan(0);
  });
});

describe('what the login may do', () => {
  it('is a plain login: no attribute, member of no role', async () => {
    const [role] = await adminSql<Record<string, boolean>>(
      `select rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
         from pg_catalog.pg_roles where rolname = $1`,
      [ROLE],
    );
    expect(role).toEqual({
      rolcanlogin: true,
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
    });
    const memberships = await adminSql(
      `select roleid::regrole from pg_catalog.pg_auth_members where member = $1::regrole`,
      [ROLE],
    );
    expect(memberships).toEqual([]);
  });

  it('calls the two ingestion functions', async () => {
    const { rows } = await webhook.query<{ secret: string }>('select public.shop_webhook_secret($1) as secret', [SHOP]);
    expect(rows).toEqual([{ secret: SECRET }]);
    const unknown = await webhook.query<{ result: { status: string } }>(
      `select public.ingest_shopify_webhook(
         shop_domain => 'nobody.myshopify.com', topic => 'orders/create', event_id => $1, webhook_id => $1,
         triggered_at => now(), api_version => '2025-07', payload => '{}'::jsonb) as result`,
      [randomUUID()],
    );
    expect(unknown.rows[0].result).toEqual({ status: 'unknown_shop' });
  });

  it('reads and writes no table, directly', async () => {
    expect(await refusal('select count(*) from public.customers')).toBe('42501');
    expect(await refusal('select count(*) from public.webhook_deliveries')).toBe('42501');
    expect(await refusal('select count(*) from public.shops')).toBe('42501');
    expect(await refusal(`update public.shops set active = false`)).toBe('42501');
    expect(await refusal(`delete from public.orders`)).toBe('42501');
    expect(
      await refusal(
        `insert into public.webhook_deliveries (topic, event_id, webhook_id, triggered_at, api_version, payload)
         values ('orders/create', 'x', 'x', now(), '2025-07', '{}')`,
      ),
    ).toBe('42501');
    expect(await refusal('select webhook_secret from private.shop_secrets')).toBe('42501');
    expect(await refusal('select count(*) from auth.users')).toBe('42501');
  });

  it('calls no other function, creates nothing and becomes no other role', async () => {
    expect(await refusal('select public.run_alert_check()')).toBe('42501');
    expect(await refusal(`select public.record_email_events('[]'::jsonb)`)).toBe('42501');
    expect(await refusal(`select public.set_shop_webhook_secret(gen_random_uuid(), 'x')`)).toBe('42501');
    expect(await refusal('select private.shop_webhook_secret($1)', [SHOP])).toBe('42501');
    expect(await refusal('create table public.webhook_scratch (id int)')).toBe('42501');
    expect(await refusal('create schema webhook_scratch')).toBe('42501');
    expect(await refusal('set role postgres')).toBe('42501');
    expect(await refusal('set role service_role')).toBe('42501');
  });

  it('holds, across the whole database, no privilege a role without grants lacks but its three functions', async () => {
    // A probe role without any grant has what PUBLIC has; the login may have nothing more.
    const probe = `webhook_probe_${uniqueTag()}`;
    const admin = new pg.Client({ connectionString: config.adminDbUrl });
    await admin.connect();
    let beyond: Array<{ kind: string; name: string }>;
    try {
      await admin.query('begin');
      await admin.query(`create role ${probe} nologin`);
      const privileges = (role: string) => `
        select 'function' as kind, p.oid::regprocedure::text as name
          from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
         where n.nspname not in ('pg_catalog', 'information_schema')
           and has_function_privilege('${role}', p.oid, 'execute')
        union all
        select 'relation', c.oid::regclass::text
          from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname not in ('pg_catalog', 'information_schema')
           and has_table_privilege('${role}', c.oid, 'select, insert, update, delete, truncate, references, trigger')
        union all
        select 'sequence', c.oid::regclass::text
          from pg_catalog.pg_class c
         where c.relkind = 'S'
           and case when c.relkind = 'S' then has_sequence_privilege('${role}', c.oid, 'usage, select, update') end
        union all
        select 'schema', n.nspname
          from pg_catalog.pg_namespace n
         where has_schema_privilege('${role}', n.oid, 'usage') or has_schema_privilege('${role}', n.oid, 'create')`;
      beyond = (
        await admin.query<{ kind: string; name: string }>(
          `(${privileges(ROLE)}) except (${privileges(probe)}) order by kind, name`,
        )
      ).rows;
    } finally {
      await admin.query('rollback');
      await admin.end();
    }
    expect(beyond.filter((row) => row.kind !== 'schema')).toEqual([
      {
        kind: 'function',
        name: 'ingest_shopify_webhook(text,text,text,text,timestamp with time zone,text,jsonb,jsonb,text,text)',
      },
      // The pre-rotation secret during its grace period (issue 11, migration 20261207190000).
      { kind: 'function', name: 'shop_previous_webhook_secret(text)' },
      { kind: 'function', name: 'shop_webhook_secret(text)' },
    ]);
    // At most schema public (PUBLIC may already use it), where the functions are.
    expect(beyond.filter((row) => row.kind === 'schema').every((row) => row.name === 'public')).toBe(true);
  });
});
