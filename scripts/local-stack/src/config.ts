/**
 * One source of truth for where a local stack instance lives: its ports, data folder,
 * URLs and keys. The keys and JWT secret are the Supabase CLI's local-development
 * defaults, so anything written against `supabase start` works here unchanged.
 *
 * Two instances can run side by side: `dev` (the CLI's ports, 54321…) and `test`
 * (63321…, above Linux's ephemeral port range, and its own data folder), so `npm test` never
 * touches a running `npm run dev`.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Supabase project this stack serves: the nearest folder above this package that holds
 * `supabase/config.toml` (the stack reads its migrations, functions and settings from there).
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'supabase', 'config.toml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No supabase/config.toml above ${from}`);
  }
}

export const repoRoot = process.env.CAIRN_PROJECT_ROOT ?? findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

export const JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';
export const PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
export const SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';

/** Password of every database login role the stack creates (as the CLI does). */
export const DB_PASSWORD = 'postgres';

export interface StackPorts {
  /** The gateway: what SUPABASE_URL points at. */
  api: number;
  db: number;
  mail: number;
  postgrest: number;
  postgrestAdmin: number;
  auth: number;
  realtime: number;
  storage: number;
  functions: number;
  /** The Shopify Admin API emulator (and the ECB rate files). */
  shopify: number;
}

export interface StackConfig {
  name: string;
  root: string;
  /** Everything the instance writes: database cluster, storage files, mail, logs, state. */
  dataDir: string;
  pgDataDir: string;
  storageDir: string;
  logDir: string;
  stateFile: string;
  ports: StackPorts;
  apiUrl: string;
  dbUrl: string;
  /** Superuser connection used by the platform services themselves (never by app code). */
  adminDbUrl: string;
  mailUrl: string;
  /** The Shopify Admin API emulator: a shop is `${shopifyUrl}/store/<shop>.myshopify.com`. */
  shopifyUrl: string;
  authExternalUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  /**
   * A folder of test-only functions served after supabase/functions (CAIRN_STACK_TEST_FUNCTIONS_DIR,
   * set by the test setup and the stack benchmark); null in dev, so nothing outside
   * supabase/functions is ever served there or deployed.
   */
  testFunctionsDir: string | null;
}

/** Names a folder of test-only functions for the instance to serve (see StackConfig.testFunctionsDir). */
export const TEST_FUNCTIONS_DIR_ENV = 'CAIRN_STACK_TEST_FUNCTIONS_DIR';

const PORT_BASE: Record<string, number> = { dev: 54321, test: 63321 };

export function stackConfig(name = process.env.CAIRN_STACK ?? 'dev'): StackConfig {
  const base = Number(process.env.CAIRN_STACK_PORT_BASE ?? PORT_BASE[name] ?? 56321);
  const ports: StackPorts = {
    api: base,
    db: base + 1,
    mail: base + 3,
    postgrest: base + 9,
    postgrestAdmin: base + 10,
    auth: base + 11,
    realtime: base + 12,
    storage: base + 13,
    functions: base + 14,
    shopify: base + 15,
  };
  const dataDir = process.env.CAIRN_STACK_DATA_DIR ?? defaultDataDir(name);
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  return {
    name,
    root: repoRoot,
    dataDir,
    pgDataDir: path.join(dataDir, 'postgres'),
    storageDir: path.join(dataDir, 'storage'),
    logDir: path.join(dataDir, 'logs'),
    stateFile: path.join(dataDir, 'stack.json'),
    ports,
    apiUrl,
    dbUrl: `postgresql://postgres:${DB_PASSWORD}@127.0.0.1:${ports.db}/postgres`,
    adminDbUrl: `postgresql://supabase_admin:${DB_PASSWORD}@127.0.0.1:${ports.db}/postgres`,
    mailUrl: `http://127.0.0.1:${ports.mail}`,
    shopifyUrl: `http://127.0.0.1:${ports.shopify}`,
    authExternalUrl: `${apiUrl}/auth/v1`,
    jwtSecret: JWT_SECRET,
    anonKey: ANON_KEY,
    serviceRoleKey: SERVICE_ROLE_KEY,
    publishableKey: PUBLISHABLE_KEY,
    secretKey: SECRET_KEY,
    testFunctionsDir: process.env[TEST_FUNCTIONS_DIR_ENV] ? path.resolve(process.env[TEST_FUNCTIONS_DIR_ENV]) : null,
  };
}

/**
 * `<repo>/.cairn/<name>`, unless Postgres could not reach it: run as root, Postgres runs
 * as the system `postgres` user, which must be able to traverse every parent folder (a
 * checkout under /root usually is not). Then the data lives under /var/tmp instead, keyed
 * by the checkout's path so two checkouts never share a database.
 */
function defaultDataDir(name: string): string {
  const inRepo = path.join(repoRoot, '.cairn', name);
  if (process.getuid?.() !== 0 || traversableByOthers(repoRoot)) return inRepo;
  const key = createHash('sha1').update(repoRoot).digest('hex').slice(0, 10);
  return path.join('/var/tmp', `cairn-${key}`, name);
}

/** Whether a user other than the owner can reach `dir`: every folder above it has the x bit for others. */
export function traversableByOthers(dir: string): boolean {
  let current = dir;
  for (;;) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
