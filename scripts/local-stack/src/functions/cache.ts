/**
 * Fills Deno's cache (DENO_DIR) with every Edge Function's dependencies, so functions never
 * fetch a package at run time: the runtime starts them with `--cached-only`. Runs from
 * `npm install` (postinstall) and `npm run functions:cache`, and at `supabase:start` when the
 * functions' dependencies changed since the last run (a fingerprint of every deno.json and
 * deno.lock, Deno's version and DENO_DIR, kept in `.cairn/functions-cache.json`).
 *
 * Per folder of supabase/functions (shared code included): `deno install --entrypoint` over its
 * entrypoint and test files, with its own deno.json, the machine's proxy and CA settings.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, stackConfig, type StackConfig } from '../config.ts';
import { createLogger, type Logger } from '../lib/log.ts';
import { loadSettings, type ProjectSettings } from '../settings.ts';
import { denoHostEnv, functionsDir, listFunctions, testFiles } from './catalog.ts';
import { denoBinary } from './deno.ts';

interface CacheTarget {
  folder: string;
  dir: string;
  configArgs: string[];
  files: string[];
}

const CONFIG_FILES = ['deno.json', 'deno.jsonc'];
const markerFile = (config: StackConfig) => path.join(config.root, '.cairn', 'functions-cache.json');

/** Every function's entrypoint, and each folder's tests (shared folders too), with its config. */
function cacheTargets(config: StackConfig, settings: ProjectSettings): CacheTarget[] {
  const root = functionsDir(config);
  if (!existsSync(root)) return [];
  const functions = new Map(listFunctions(config, settings).map((spec) => [spec.dir, spec]));
  const targets: CacheTarget[] = [];
  for (const folder of readdirSync(root).sort()) {
    const dir = path.join(root, folder);
    if (folder.startsWith('.') || !statSync(dir).isDirectory()) continue;
    const spec = functions.get(dir);
    const own = CONFIG_FILES.map((file) => path.join(dir, file)).find((file) => existsSync(file));
    const files = [...(spec ? [spec.entrypoint] : []), ...testFiles(dir)];
    if (files.length)
      targets.push({ folder, dir, configArgs: spec?.configArgs ?? (own ? ['--config', own] : []), files });
  }
  return targets;
}

function denoVersion(): string {
  return spawnSync(denoBinary(), ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
}

/** What the cache depends on: the dependency files, Deno's version and where the cache is. */
function fingerprint(config: StackConfig, settings: ProjectSettings): string {
  const hash = createHash('sha256');
  hash.update(`${denoVersion()}\n${denoHostEnv().DENO_DIR ?? ''}\n`);
  for (const target of cacheTargets(config, settings)) {
    hash.update(`${target.folder}\n${target.files.map((file) => path.relative(target.dir, file)).join(',')}\n`);
    for (const name of [...CONFIG_FILES, 'deno.lock']) {
      const file = path.join(target.dir, name);
      if (existsSync(file)) hash.update(readFileSync(file));
    }
    const config = target.configArgs[1];
    if (config && existsSync(config)) hash.update(readFileSync(config));
  }
  return hash.digest('hex');
}

export function cacheIsCurrent(config: StackConfig, settings: ProjectSettings): boolean {
  try {
    const marker = JSON.parse(readFileSync(markerFile(config), 'utf8')) as { fingerprint?: string };
    return marker.fingerprint === fingerprint(config, settings);
  } catch {
    return false;
  }
}

/** Caches every folder's dependencies; true when all succeeded (then the marker is written). */
export function cacheFunctionDependencies(config: StackConfig, settings: ProjectSettings, log: Logger): boolean {
  const env = { ...denoHostEnv() };
  const failed: string[] = [];
  for (const target of cacheTargets(config, settings)) {
    const began = Date.now();
    const result = spawnSync(
      denoBinary(),
      ['install', '--quiet', ...target.configArgs, '--entrypoint', ...target.files],
      { cwd: target.dir, env, encoding: 'utf8', timeout: 300_000 },
    );
    if (result.status === 0) {
      log.info(`${target.folder}: dependencies cached in ${Date.now() - began} ms`);
      continue;
    }
    failed.push(target.folder);
    log.error(
      `${target.folder}: caching dependencies failed`,
      new Error((result.stderr || String(result.error)).trim()),
    );
  }
  if (failed.length) {
    log.warn(
      `functions ${failed.join(', ')} will not boot until their dependencies are cached: check the network, ` +
        'proxy and CA settings (HTTPS_PROXY, NODE_EXTRA_CA_CERTS / DENO_CERT), then run `npm run functions:cache`',
    );
    return false;
  }
  mkdirSync(path.dirname(markerFile(config)), { recursive: true });
  writeFileSync(
    markerFile(config),
    `${JSON.stringify({ fingerprint: fingerprint(config, settings), cachedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  return true;
}

/**
 * `npm run functions:cache` and npm's postinstall. A failure is reported, not fatal: the rest of
 * the install is still useful, and `supabase:start` tries again.
 */
function main(): void {
  cacheFunctionDependencies(stackConfig(), loadSettings(repoRoot), createLogger('functions:cache'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
