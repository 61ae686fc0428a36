/**
 * The shopify-webhook function's two database calls, over a direct Postgres connection rather
 * than through the REST API, as its own login `cairn_shopify_webhook` (SHOPIFY_WEBHOOK_DB_URL,
 * ADR 0005): that role may execute these two functions and nothing else, so the one function
 * that takes input from the internet never holds the owner's connection (SUPABASE_DB_URL).
 *
 * Why: ingestion is the one hot path of Cairn that runs on every Shopify event, several per
 * order. Through the REST API each delivery crossed the gateway and PostgREST as well (about a
 * fifth of the CPU a delivery cost on the benchmark machine, docs/benchmarks.md); a pooled
 * connection runs the same function in one round trip. The caller is Shopify, not a Cairn user,
 * so there is no JWT to forward and row-level security would not apply either way: both
 * functions called here are `security definer` (owned by `postgres`), validate their input,
 * and are granted to the service role and this login only.
 *
 * Eight connections per function instance by default (`SHOPIFY_WEBHOOK_DB_POOL_SIZE` changes
 * it): a delivery holds one for a few milliseconds, and on the benchmark machine eight kept two
 * cores busy where four left them waiting. Statements are unnamed (no server-side prepared
 * statements), so the URL may point at Supavisor's transaction-mode pooler as well as at the
 * database.
 */
import pg from 'pg';
import type { IngestInput, IngestResult } from './handler.ts';

type Env = { get(name: string): string | undefined };

export interface WebhookDatabase {
  shopWebhookSecret(domain: string): Promise<string | null>;
  /** The pre-rotation secret while its grace period runs (public.shop_previous_webhook_secret). */
  previousWebhookSecret(domain: string): Promise<string | null>;
  ingest(input: IngestInput): Promise<IngestResult>;
}

/** Logins that own the database (hosted, through the pooler: `postgres.<project ref>`). */
const OWNER_LOGINS = new Set(['postgres', 'supabase_admin']);

/**
 * The URL to connect with: SHOPIFY_WEBHOOK_DB_URL, never the owner's. Throws when it is not set
 * or names an owner login, so a deploy without the login fails at boot (Shopify retries) rather
 * than running as the owner.
 */
export function webhookDatabaseUrl(env: Env): string {
  const url = env.get('SHOPIFY_WEBHOOK_DB_URL');
  if (!url) throw new Error('SHOPIFY_WEBHOOK_DB_URL is not set (the cairn_shopify_webhook login, ADR 0005)');
  let user: string;
  try {
    user = decodeURIComponent(new URL(url).username).split('.')[0];
  } catch {
    throw new Error('SHOPIFY_WEBHOOK_DB_URL is not a postgresql:// URL');
  }
  if (OWNER_LOGINS.has(user)) {
    throw new Error(`SHOPIFY_WEBHOOK_DB_URL signs in as ${user}; use the cairn_shopify_webhook login (ADR 0005)`);
  }
  return url;
}

export function webhookDatabase(env: Env = Deno.env): WebhookDatabase {
  const connectionString = webhookDatabaseUrl(env);
  const poolSize = Number(env.get('SHOPIFY_WEBHOOK_DB_POOL_SIZE') ?? 8);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new Error('SHOPIFY_WEBHOOK_DB_POOL_SIZE must be a positive integer');
  // A delivery that waits 4 s for a connection is answered 500 (Shopify retries it) rather than
  // overrunning the 5 s Shopify gives a webhook.
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 4_000,
  });
  // An idle connection the server closed must not crash the function; the next query reconnects.
  pool.on('error', (error: Error) =>
    console.warn(JSON.stringify({ level: 'warn', message: 'idle database connection lost', error: error.message })),
  );

  return {
    async shopWebhookSecret(domain) {
      const { rows } = await pool.query<{ secret: string | null }>('select public.shop_webhook_secret($1) as secret', [
        domain,
      ]);
      const secret = rows[0]?.secret;
      return typeof secret === 'string' && secret ? secret : null;
    },
    async previousWebhookSecret(domain) {
      const { rows } = await pool.query<{ secret: string | null }>(
        'select public.shop_previous_webhook_secret($1) as secret',
        [domain],
      );
      const secret = rows[0]?.secret;
      return typeof secret === 'string' && secret ? secret : null;
    },
    async ingest(input) {
      const { rows } = await pool.query<{ result: IngestResult }>(
        `select public.ingest_shopify_webhook(
           shop_domain => $1, topic => $2, event_id => $3, webhook_id => $4, triggered_at => $5,
           api_version => $6, payload => $7::jsonb, mapped => $8::jsonb, parse_error => $9, original_body => $10
         ) as result`,
        [
          input.shop_domain,
          input.topic,
          input.event_id,
          input.webhook_id,
          input.triggered_at,
          input.api_version,
          JSON.stringify(input.payload),
          input.mapped === null ? null : JSON.stringify(input.mapped),
          input.parse_error,
          input.original_body,
        ],
      );
      return rows[0].result;
    },
  };
}
