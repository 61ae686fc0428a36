import { strictEqual, throws } from 'node:assert/strict';
import { webhookDatabaseUrl } from './database.ts';

const env = (values: Record<string, string>) => ({ get: (name: string) => values[name] });

Deno.test('the webhook connects with its own login, from SHOPIFY_WEBHOOK_DB_URL', () => {
  const local = 'postgresql://cairn_shopify_webhook:postgres@127.0.0.1:54322/postgres';
  strictEqual(webhookDatabaseUrl(env({ SHOPIFY_WEBHOOK_DB_URL: local })), local);
  const pooler =
    'postgresql://cairn_shopify_webhook.abcdefghij:secret@aws-0-eu-west-1.pooler.supabase.com:6543/postgres';
  strictEqual(webhookDatabaseUrl(env({ SHOPIFY_WEBHOOK_DB_URL: pooler })), pooler);
});

Deno.test('the webhook never falls back to the owner connection', () => {
  const owner = 'postgresql://postgres:postgres@127.0.0.1:54322/postgres';
  throws(() => webhookDatabaseUrl(env({ SUPABASE_DB_URL: owner })), /SHOPIFY_WEBHOOK_DB_URL is not set/);
  throws(() => webhookDatabaseUrl(env({ SHOPIFY_WEBHOOK_DB_URL: owner })), /signs in as postgres/);
  throws(
    () =>
      webhookDatabaseUrl(
        env({ SHOPIFY_WEBHOOK_DB_URL: 'postgresql://postgres.abcdefghij:x@pooler.test:6543/postgres' }),
      ),
    /signs in as postgres/,
  );
  throws(
    () => webhookDatabaseUrl(env({ SHOPIFY_WEBHOOK_DB_URL: 'postgresql://supabase_admin:x@db.test/postgres' })),
    /signs in as supabase_admin/,
  );
  throws(() => webhookDatabaseUrl(env({ SHOPIFY_WEBHOOK_DB_URL: 'not a url' })), /not a postgresql/);
});
