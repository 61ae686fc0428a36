/**
 * Applies `supabase/migrations` and `supabase/seed.sql` with the real Supabase CLI
 * (`supabase db push --db-url … --include-seed`), exactly as a deploy to hosted Supabase does,
 * connected as `postgres` (not a superuser), so what applies here applies there.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { LOCAL_CRON_SECRET } from './cron/secret.ts';
import { DB_PASSWORD, type StackConfig } from './config.ts';
import { FUNCTION_LOGINS } from './db-logins.ts';
import type { Logger } from './lib/log.ts';

const marker = (config: StackConfig) => path.join(config.dataDir, 'migrated');

export async function needsMigrations(config: StackConfig): Promise<boolean> {
  return !existsSync(marker(config));
}

export function supabaseCliBinary(): string {
  const require = createRequire(import.meta.url);
  // The npm package `supabase` ships the Go binary in a per-platform optional dependency.
  const pkg = path.dirname(require.resolve(`@supabase/cli-${process.platform}-${process.arch}/package.json`));
  return path.join(pkg, 'bin', 'supabase');
}

export async function runSupabaseCli(config: StackConfig, args: string[], log?: Logger): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(supabaseCliBinary(), args, {
      cwd: config.root,
      env: { ...process.env, SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      log?.info(chunk.toString().trimEnd());
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`supabase ${args[0]} ${args[1] ?? ''} failed (exit ${code}):\n${err || out}`));
    });
  });
}

/** The CLI warns on stdout about plain-text connections unless told the stack has no TLS. */
export const cliDbUrl = (config: StackConfig) => `${config.dbUrl}?sslmode=disable`;

/**
 * On a database that already has its migrations, applies only new ones (`supabase migration up`
 * semantics) and never re-runs the seed, so restarting keeps your data and picks up new schema.
 * `--include-all` also applies a teammate's migration whose timestamp sorts before one already
 * applied here (branches merged in another order): normal on a developer's database. A deploy
 * to hosted Supabase runs without it, so the CLI still refuses that case there.
 */
export async function applyPendingMigrations(config: StackConfig, log: Logger): Promise<void> {
  await runSupabaseCli(config, ['db', 'push', '--db-url', cliDbUrl(config), '--include-all', '--yes'], log);
}

export async function applyMigrations(config: StackConfig, log: Logger): Promise<void> {
  log.info('applying supabase/migrations and supabase/seed.sql');
  await runSupabaseCli(config, ['db', 'push', '--db-url', cliDbUrl(config), '--include-seed', '--yes'], log);
  writeFileSync(marker(config), new Date().toISOString());
}

/**
 * The Vault secrets scheduled functions read (`project_url`, `anon_key`, `cron_secret`), set to
 * this instance's gateway so one scheduling migration calls the right functions URL locally
 * (`cron_secret` matches the functions' CRON_SECRET, scripts/local-stack/src/cron/secret.ts). On
 * hosted Supabase they are created once per project (see README, "Deploying").
 */
export async function provisionVaultSecrets(config: StackConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.adminDbUrl });
  await client.connect();
  try {
    for (const [name, value, description] of [
      ['project_url', config.apiUrl, 'API URL of this local stack'],
      ['anon_key', config.anonKey, 'anon key for scheduled function calls'],
      ['cron_secret', LOCAL_CRON_SECRET, 'secret scheduled function calls send (X-Cron-Secret)'],
    ]) {
      const { rows } = await client.query<{ id: string; decrypted_secret: string }>(
        'select id, decrypted_secret from vault.decrypted_secrets where name = $1',
        [name],
      );
      if (!rows[0]) await client.query('select vault.create_secret($1, $2, $3)', [value, name, description]);
      else if (rows[0].decrypted_secret !== value)
        await client.query('select vault.update_secret($1, $2)', [rows[0].id, value]);
    }
  } finally {
    await client.end();
  }
}

/**
 * The local password for each function login the migrations created (./db-logins.ts), on
 * every start: a migration creates such a role without one, so nobody can sign in as it until
 * the operator sets one, which hosted is a deploy step and here is this.
 */
export async function provisionFunctionLogins(config: StackConfig): Promise<void> {
  const client = new pg.Client({ connectionString: config.adminDbUrl });
  await client.connect();
  try {
    for (const { role } of FUNCTION_LOGINS) {
      const { rows } = await client.query('select 1 from pg_catalog.pg_roles where rolname = $1', [role]);
      if (rows.length === 0) continue;
      await client.query(`alter role ${client.escapeIdentifier(role)} password ${client.escapeLiteral(DB_PASSWORD)}`);
    }
  } finally {
    await client.end();
  }
}
