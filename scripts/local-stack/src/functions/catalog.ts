/**
 * Which functions exist and how each one is run, read the way the Supabase CLI reads them:
 * every folder of `supabase/functions` not starting with `_` or `.` is a function, its
 * `[functions.<name>]` block in config.toml may override entrypoint / import map / verify_jwt
 * or disable it, and secrets come from `supabase/functions/.env`. An instance told of a folder
 * of test-only functions (config.testFunctionsDir) also serves the functions there, after
 * those of supabase/functions; dev never is.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { StackConfig } from '../config.ts';
import { LOCAL_CRON_SECRET } from '../cron/secret.ts';
import { FUNCTION_LOGINS, functionLoginUrl } from '../db-logins.ts';
import { LOCAL_SENDGRID_API_KEY, LOCAL_SENDGRID_WEBHOOK_PUBLIC_KEY } from '../mail/event-webhook-key.ts';
import { LOCAL_INBOUND_EMAIL_DOMAIN, LOCAL_INBOUND_PARSE_SECRET } from '../mail/inbound-parse.ts';
import type { ProjectSettings } from '../settings.ts';

export interface FunctionSpec {
  name: string;
  /** The function's folder: the Deno process' working directory. */
  dir: string;
  entrypoint: string;
  /** `--config <deno.json>` or `--import-map <file>` for Deno, when the function has one. */
  configArgs: string[];
  verifyJwt: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const ENTRYPOINTS = ['index.ts', 'index.js', 'index.tsx', 'index.jsx', 'index.mjs'];
const CONFIG_FILES = ['deno.json', 'deno.jsonc'];

export const functionsDir = (config: StackConfig) => path.join(config.root, 'supabase', 'functions');

/** Where functions are found, in order: supabase/functions, then the test-only folder if any. */
export function functionRoots(config: StackConfig): string[] {
  return config.testFunctionsDir ? [functionsDir(config), config.testFunctionsDir] : [functionsDir(config)];
}

/** The function called `name`, or null when there is none (or it is disabled in config.toml). */
export function findFunction(config: StackConfig, settings: ProjectSettings, name: string): FunctionSpec | null {
  if (!NAME.test(name)) return null;
  for (const root of functionRoots(config)) {
    const spec = findFunctionIn(root, config, settings, name);
    if (spec) return spec;
  }
  return null;
}

function findFunctionIn(
  root: string,
  config: StackConfig,
  settings: ProjectSettings,
  name: string,
): FunctionSpec | null {
  const fnSettings = settings.functions[name];
  if (fnSettings?.enabled === false) return null;
  const supabaseDir = path.join(config.root, 'supabase');
  const dir = path.join(root, name);
  // config.toml paths are relative to the supabase folder, as the CLI resolves them.
  const entrypoint = fnSettings?.entrypoint
    ? path.resolve(supabaseDir, fnSettings.entrypoint)
    : ENTRYPOINTS.map((file) => path.join(dir, file)).find((file) => existsSync(file));
  if (!entrypoint || !existsSync(entrypoint) || !statSync(entrypoint).isFile()) return null;
  return {
    name,
    dir: existsSync(dir) ? dir : path.dirname(entrypoint),
    entrypoint,
    configArgs: configArgs(supabaseDir, dir, fnSettings?.importMap),
    verifyJwt: fnSettings?.verifyJwt ?? true,
  };
}

/** Every function the CLI would serve: each folder not starting with `_` or `.` that has an entrypoint. */
export function listFunctions(config: StackConfig, settings: ProjectSettings): FunctionSpec[] {
  const names = new Set(
    functionRoots(config)
      .filter((root) => existsSync(root))
      .flatMap((root) => readdirSync(root))
      .filter((entry) => !entry.startsWith('_') && !entry.startsWith('.')),
  );
  return [...names]
    .sort()
    .map((name) => findFunction(config, settings, name))
    .filter((spec): spec is FunctionSpec => spec !== null);
}

function configArgs(supabaseDir: string, dir: string, importMap: string | undefined): string[] {
  if (importMap) {
    const file = path.resolve(supabaseDir, importMap);
    return /deno\.jsonc?$/.test(file) ? ['--config', file] : ['--import-map', file];
  }
  const own = CONFIG_FILES.map((file) => path.join(dir, file)).find((file) => existsSync(file));
  return own ? ['--config', own] : [];
}

/**
 * A dotenv file: `KEY=value`, optional `export `, `#` comments, single quotes (literal),
 * double quotes (with \n escapes, may span lines), unquoted values trimmed and cut at ` #`.
 */
/** Every Deno test file below a function folder (`*.test.ts` and the like), shared folders too. */
export function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    if (statSync(full).isDirectory()) return testFiles(full);
    return /\.test\.(ts|tsx|js|mjs)$/.test(entry) ? [full] : [];
  });
}

export function parseDotenv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  const line =
    /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*('[^']*'|"(?:[^"\\]|\\.)*"|[^\n]*)[^\n]*$/gm;
  for (const [, key, raw] of text.replace(/\r\n?/g, '\n').matchAll(line)) env[key] = dotenvValue(raw);
  return env;
}

function dotenvValue(raw: string): string {
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
    return raw.slice(1, -1).replace(/\\(.)/g, (_, char: string) => escapes[char] ?? char);
  }
  return raw.replace(/\s+#.*$/, '').trim();
}

/**
 * Host variables Deno itself needs (cache location, proxies, the machine's CA settings, the npm
 * registry the cache was filled from); the rest of the host env stays out.
 */
const PASSED_THROUGH = [
  'DENO_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'DENO_TLS_CA_STORE',
  'DENO_CERT',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'NPM_CONFIG_REGISTRY',
  'TZ',
  'LANG',
];

/**
 * What Deno needs from the host to reach (or not reach) the network as the machine does: the
 * variables above, DENO_DIR defaulted, and the CA bundle Node is told to trust
 * (NODE_EXTRA_CA_CERTS, e.g. a TLS-inspecting proxy's) handed to Deno as DENO_CERT.
 */
export function denoHostEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // Deno caches npm packages under DENO_DIR (default $HOME/.cache/deno); HOME itself is one
  // of the variables edge-runtime hides from functions, so point Deno at the cache directly.
  if (!env.DENO_DIR && process.env.HOME) env.DENO_DIR = path.join(process.env.HOME, '.cache', 'deno');
  if (!env.DENO_CERT && env.NODE_EXTRA_CA_CERTS) env.DENO_CERT = env.NODE_EXTRA_CA_CERTS;
  env.DENO_NO_UPDATE_CHECK = '1';
  env.NO_COLOR = '1';
  return env;
}

/**
 * The environment a function sees, as the CLI builds it: SUPABASE_* pointing at this stack,
 * then `supabase/functions/.env`. SENDGRID_API_URL defaults to the mail catcher so mail sent
 * through SendGrid's API is caught locally (a function should read it, defaulting to the real
 * API, so hosted deploys need no change). SUPABASE_-prefixed names in .env are skipped, as the CLI does.
 */
export function functionEnv(config: StackConfig): Record<string, string> {
  const env = denoHostEnv();
  env.SENDGRID_API_URL = config.mailUrl;
  // Shopify and the ECB point at the local emulator: `{shop}` stands for `<name>.myshopify.com`
  // (hosted, unset, functions call https://{shop} and the ECB's own site).
  env.SHOPIFY_ADMIN_ORIGIN = `${config.shopifyUrl}/store/{shop}`;
  env.ECB_RATES_URL = `${config.shopifyUrl}/ecb`;
  // Affiliate feeds are refused in private networks (SSRF); locally the feeds are on 127.0.0.1.
  env.AFFILIATE_FEEDS_ALLOW_PRIVATE_HOSTS = '1';
  // The catcher accepts any key; the event-webhook key is the well-known local one (tests sign
  // simulated SendGrid events with its private half). `.env` below may override both.
  env.SENDGRID_API_KEY = LOCAL_SENDGRID_API_KEY;
  env.SENDGRID_WEBHOOK_PUBLIC_KEY = LOCAL_SENDGRID_WEBHOOK_PUBLIC_KEY;
  // What scheduled calls send (Vault `cron_secret`, provisioned with the same value).
  env.CRON_SECRET = LOCAL_CRON_SECRET;
  // Inbound Parse: the secret the mail catcher's replies carry, and the reply-to domain.
  env.INBOUND_PARSE_SECRET = LOCAL_INBOUND_PARSE_SECRET;
  env.INBOUND_EMAIL_DOMAIN = LOCAL_INBOUND_EMAIL_DOMAIN;
  // A function's own database login (the shopify-webhook's SHOPIFY_WEBHOOK_DB_URL), never postgres.
  for (const login of FUNCTION_LOGINS) env[login.env] = functionLoginUrl(config, login);
  const dotenv = path.join(functionsDir(config), '.env');
  if (existsSync(dotenv)) {
    for (const [name, value] of Object.entries(parseDotenv(readFileSync(dotenv, 'utf8')))) {
      // The CLI skips SUPABASE_-prefixed secrets: those names are the platform's.
      if (!name.startsWith('SUPABASE_')) env[name] = value;
    }
  }
  Object.assign(env, {
    SUPABASE_URL: config.apiUrl,
    SUPABASE_ANON_KEY: config.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
    SUPABASE_DB_URL: config.dbUrl,
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: config.publishableKey }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: config.secretKey }),
    SUPABASE_JWKS: JSON.stringify({ keys: [] }),
  });
  return env;
}
