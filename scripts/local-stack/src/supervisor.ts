/**
 * The long-running process behind `npm run supabase:start`: starts Postgres, PostgREST and
 * Cairn's own servers (mail, auth, storage, realtime, functions, cron, gateway), writes the
 * state file once all are healthy, and stops them in reverse order on SIGTERM / SIGINT.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stackConfig, type StackConfig } from './config.ts';
import type { Service, StackContext } from './context.ts';
import { createPool } from './lib/db.ts';
import { createLogger } from './lib/log.ts';
import { holdFreePorts } from './lib/ports.ts';
import { startMail } from './mail/server.ts';
import { startShopify } from './shopify/server.ts';
import { startPostgres } from './postgres.ts';
import { startPostgrest } from './postgrest.ts';
import {
  applyMigrations,
  applyPendingMigrations,
  needsMigrations,
  provisionFunctionLogins,
  provisionVaultSecrets,
} from './migrations.ts';
import { rateLimitFactor } from './auth/rate-limit.ts';
import { loadSettings, readConfigToml } from './settings.ts';
import { unimplementedSettings } from './unimplemented.ts';

export interface StackState {
  pid: number;
  name: string;
  startedAt: string;
  readyAt: string;
  readyMs: number;
  /** CAIRN_STACK_AUTH_RATE_LIMIT_FACTOR this instance runs with (1: config.toml's limits). */
  authRateLimitFactor: number;
  /** The test-only functions folder this instance serves, or null (config.testFunctionsDir). */
  testFunctionsDir: string | null;
}

type Starter = (ctx: StackContext) => Promise<Service>;

/** Cairn's own servers, in start order (the gateway last: it fronts the others). */
const partStarters: Record<string, () => Promise<Starter>> = {
  auth: async () => (await import('./auth/server.ts')).startAuth,
  storage: async () => (await import('./storage/server.ts')).startStorage,
  realtime: async () => (await import('./realtime/server.ts')).startRealtime,
  functions: async () => (await import('./functions/server.ts')).startFunctions,
  cron: async () => (await import('./cron/worker.ts')).startCron,
  gateway: async () => (await import('./gateway/server.ts')).startGateway,
};

/** CAIRN_STACK_PARTS=auth,gateway starts only those (Postgres, PostgREST, mail and the Shopify emulator always run). */
function selectedParts(): string[] {
  const wanted = process.env.CAIRN_STACK_PARTS?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const all = Object.keys(partStarters);
  if (!wanted) return all;
  const unknown = wanted.filter((part) => !all.includes(part));
  if (unknown.length) throw new Error(`unknown stack parts: ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return all.filter((part) => wanted.includes(part));
}

/**
 * The ports the given parts listen on, with those of the parts that always run. Postgres' is left
 * out when a postmaster of this instance may still hold it: startPostgres stops that one first.
 */
function portsOf(config: StackConfig, parts: string[]): Record<string, number> {
  const { ports } = config;
  const byPart: Record<string, number | undefined> = {
    gateway: ports.api,
    auth: ports.auth,
    storage: ports.storage,
    realtime: ports.realtime,
    functions: ports.functions,
  };
  const wanted: Record<string, number> = {
    ...(existsSync(path.join(config.pgDataDir, 'postmaster.pid')) ? {} : { postgres: ports.db }),
    postgrest: ports.postgrest,
    'postgrest admin': ports.postgrestAdmin,
    mail: ports.mail,
    shopify: ports.shopify,
  };
  for (const part of parts) {
    const port = byPart[part];
    if (port !== undefined) wanted[part] = port;
  }
  return wanted;
}

async function main(): Promise<void> {
  const started = Date.now();
  const config = stackConfig();
  const log = createLogger(`stack:${config.name}`);
  mkdirSync(config.logDir, { recursive: true });
  mkdirSync(config.storageDir, { recursive: true });

  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    for (const stop of stops.reverse()) await stop().catch((error) => log.error('stop failed', error));
    rmSync(config.stateFile, { force: true });
    log.info('stopped');
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));

  try {
    const ports = await holdFreePorts(portsOf(config, selectedParts()));
    stops.push(() => ports.releaseAll());
    await ports.release('postgres');
    const postgres = await startPostgres(config, log.child('postgres'), (error) => {
      log.error('postgres is gone; stopping the stack', error);
      void shutdown(1);
    });
    stops.push(() => postgres.stop());
    if (await needsMigrations(config)) await applyMigrations(config, log.child('migrations'));
    else await applyPendingMigrations(config, log.child('migrations'));
    await provisionVaultSecrets(config);
    await provisionFunctionLogins(config);

    const db = createPool(config.adminDbUrl, 20);
    stops.push(() => db.end());
    const settings = loadSettings(config.root);
    // Once, by name: every [auth] setting of config.toml this stack does not implement.
    for (const warning of unimplementedSettings(readConfigToml(config.root))) log.warn(warning);
    await ports.release('mail');
    const mail = await startMail({ config, settings, db, log: log.child('mail') });
    stops.push(() => mail.close());
    const ctx: StackContext = { config, settings, db, log, mail };
    await ports.release('shopify');
    const shopify = await startShopify({ ...ctx, log: log.child('shopify') });
    stops.push(() => shopify.close());

    await ports.release('postgrest', 'postgrest admin');
    const postgrest = await startPostgrest(config, settings, log.child('postgrest'));
    stops.push(() => postgrest.stop());
    const handlers: NonNullable<StackContext['handlers']> = {};
    for (const name of selectedParts()) {
      const start = await partStarters[name]();
      await ports.release(name);
      const service = await start({ ...ctx, handlers, log: log.child(name) });
      if (service.handler) handlers[name as keyof typeof handlers] = service.handler;
      stops.push(() => service.close());
    }
    const state: StackState = {
      pid: process.pid,
      name: config.name,
      startedAt: new Date(started).toISOString(),
      readyAt: new Date().toISOString(),
      readyMs: Date.now() - started,
      authRateLimitFactor: rateLimitFactor(),
      testFunctionsDir: config.testFunctionsDir,
    };
    writeFileSync(config.stateFile, JSON.stringify(state, null, 2));
    log.info(`ready in ${state.readyMs} ms`);
  } catch (error) {
    log.error('start failed', error);
    await shutdown(1);
  }
}

void main();
