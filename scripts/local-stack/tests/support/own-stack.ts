/**
 * A small stack instance of a test's own, next to the shared test instance: its own name, data
 * folder and ports (the shared instance's port base + `offset`, or 1000 or 2000 above that when a
 * port there is taken), only the parts it names, and the environment it is given. For tests that must see config.toml's real auth limits, restart
 * Postgres, or break something the shared instance needs.
 */
import { rmSync } from 'node:fs';
import { stackConfig, type StackConfig } from '../../src/config.ts';
import { startStack, stopStack } from '../../src/control.ts';
import { portsFree } from '../../src/lib/ports.ts';
import { config as shared } from '../../src/testing.ts';

export interface OwnStack {
  config: StackConfig;
  /** Starts it again (same parts and environment) after a `stopStack`. */
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  stop(): Promise<void>;
}

export interface OwnStackOptions {
  /** CAIRN_STACK_PARTS: Postgres, PostgREST and the mail catcher always run. */
  parts: string[];
  /** Added to the shared instance's port base; each test file uses its own. */
  offset: number;
  /** Extra environment for the supervisor; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

export async function startOwnStack(suffix: string, options: OwnStackOptions): Promise<OwnStack> {
  const name = `${shared.name}-${suffix}`;
  const env: Record<string, string | undefined> = {
    CAIRN_STACK: name,
    CAIRN_STACK_PORT_BASE: String(shared.ports.api + options.offset),
    CAIRN_STACK_DATA_DIR: undefined,
    CAIRN_STACK_PARTS: options.parts.join(','),
    ...options.env,
  };
  // startStack hands this process' environment to the supervisor it spawns.
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  };
  const withEnv = async <T>(run: () => Promise<T>): Promise<T> => {
    apply(env);
    try {
      return await run();
    } finally {
      apply(saved);
    }
  };
  // The ports lie in Linux's ephemeral range: a long-lived outgoing connection (a connection pool of
  // the shared instance, say) can hold one of them for the whole run, so another base is tried.
  let config = await withEnv(async () => stackConfig(name));
  await stopStack(config);
  for (const shift of [1000, 2000]) {
    if (await portsFree(Object.values(config.ports))) break;
    env.CAIRN_STACK_PORT_BASE = String(shared.ports.api + options.offset + shift);
    config = await withEnv(async () => stackConfig(name));
  }
  rmSync(config.dataDir, { recursive: true, force: true });
  const start = () => withEnv(async () => void (await startStack(config)));
  await start();
  return {
    config,
    start,
    stop: async () => {
      await stopStack(config);
      rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}
