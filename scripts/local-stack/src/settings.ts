/**
 * The parts of `supabase/config.toml` the local services honour, read the way the CLI reads
 * them (same keys, same defaults), so one file configures local and hosted alike.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import type { StackConfig } from './config.ts';
import { CLI_DEFAULT_SIGNING_KEY, JwtKeys, type Jwk } from './lib/jwt.ts';

export interface AuthSettings {
  siteUrl: string;
  additionalRedirectUrls: string[];
  jwtExpiry: number;
  enableRefreshTokenRotation: boolean;
  refreshTokenReuseInterval: number;
  enableSignup: boolean;
  enableAnonymousSignIns: boolean;
  minimumPasswordLength: number;
  /** `enable_manual_linking`: identity linking (off: GoTrue's 404 manual_linking_disabled). */
  enableManualLinking: boolean;
  /**
   * The signing keys (`signing_keys_path`, a JSON array of private JWKs as `supabase gen
   * signing-key` writes it, relative to supabase/); without it the CLI's built-in ES256 key,
   * as `supabase start` does.
   */
  signingKeysPath: string | null;
  signingKeys: Jwk[];
  /** `password_requirements` as GoTrue receives it: character sets a password needs one of each. */
  passwordRequiredCharacters: string[];
  email: {
    enableSignup: boolean;
    enableConfirmations: boolean;
    doubleConfirmChanges: boolean;
    /** `secure_password_change`: a password change needs a recent sign-in or a reauthentication nonce. */
    securePasswordChange: boolean;
    otpLength: number;
    otpExpiry: number;
    /** `max_frequency` in ms: the least time between two confirmation, recovery, magic-link or email-change mails to one user. */
    maxFrequencyMs: number;
  };
  mfa: { maxEnrolledFactors: number; totp: { enrollEnabled: boolean; verifyEnabled: boolean } };
  rateLimit: RateLimitSettings;
}

/**
 * `[auth.rate_limit]`, as the CLI hands it to GoTrue: sign_in_sign_ups becomes
 * GOTRUE_RATE_LIMIT_OTP, token_verifications GOTRUE_RATE_LIMIT_VERIFY. email_sent applies only
 * with `[auth.email.smtp]` enabled; otherwise the CLI passes 360000 per hour.
 */
export interface RateLimitSettings {
  emailSent: number;
  smsSent: number;
  anonymousUsers: number;
  tokenRefresh: number;
  signInSignUps: number;
  tokenVerifications: number;
  web3: number;
}

export interface FunctionSettings {
  verifyJwt: boolean;
  enabled: boolean;
  entrypoint?: string;
  importMap?: string;
}

export interface ProjectSettings {
  projectId: string;
  /** `[api]`: what PostgREST is configured with. */
  api: { maxRows: number };
  auth: AuthSettings;
  functions: Record<string, FunctionSettings>;
  storage: { fileSizeLimit: number };
}

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value && typeof value === 'object' ? (value as Table) : {});
const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);
const num = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
const str = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);

export function parseSize(value: string): number {
  const match = value.trim().match(/^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i);
  if (!match) throw new Error(`invalid size "${value}"`);
  const units: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
  return Math.round(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]);
}

/**
 * The CLI turns `password_requirements` into GoTrue's required characters, sets separated by `:`
 * (`PasswordRequirements.ToChar` in supabase/cli; GoTrue reads the escaped `\\:` in the symbols as a colon).
 */
const REQUIRED_CHARACTERS: Record<string, string[]> = {
  '': [],
  letters_digits: ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'],
  lower_upper_letters_digits: ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'],
  lower_upper_letters_digits_symbols: [
    'abcdefghijklmnopqrstuvwxyz',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    '0123456789',
    '!@#$%^&*()_+-=[]{};\':"|<>?,./`~',
  ],
};

export function passwordRequiredCharacters(requirement: string): string[] {
  const sets = REQUIRED_CHARACTERS[requirement];
  if (!sets) throw new Error(`config.toml: unknown auth.password_requirements "${requirement}"`);
  return sets;
}

/** Go's `time.ParseDuration` for what config.toml durations use ("1s", "1m30s", "500ms"); in ms. */
export function parseDuration(value: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (value === '0') return 0;
  if (!parts.length || parts.map((part) => part[0]).join('') !== value)
    throw new Error(`config.toml: invalid duration ${JSON.stringify(value)}`);
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]], 0);
}

function loadSigningKeys(root: string, keysPath: string | null): Jwk[] {
  if (!keysPath) return [CLI_DEFAULT_SIGNING_KEY];
  const file = path.resolve(root, 'supabase', keysPath);
  let keys: unknown;
  try {
    keys = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`config.toml: auth.signing_keys_path: failed to read signing keys from ${file}`, {
      cause: error,
    });
  }
  if (!Array.isArray(keys) || !keys.length)
    throw new Error(`config.toml: auth.signing_keys_path: ${file} must hold a JSON array of JWKs`);
  return keys as Jwk[];
}

const keyCache = new WeakMap<AuthSettings, JwtKeys>();

/** The project's JWT keys: the legacy secret and config.toml's signing keys (one instance per settings). */
export function projectKeys(config: StackConfig, settings: ProjectSettings): JwtKeys {
  let keys = keyCache.get(settings.auth);
  if (!keys) {
    keys = new JwtKeys(config.jwtSecret, settings.auth.signingKeys);
    keyCache.set(settings.auth, keys);
  }
  return keys;
}

/** supabase/config.toml as parsed TOML. */
export function readConfigToml(root: string): Record<string, unknown> {
  return table(parse(readFileSync(path.join(root, 'supabase', 'config.toml'), 'utf8')));
}

export function loadSettings(root: string): ProjectSettings {
  const config = readConfigToml(root);
  const auth = table(config.auth);
  const email = table(auth.email);
  const mfa = table(auth.mfa);
  const totp = table(mfa.totp);
  const rateLimit = table(auth.rate_limit);
  const smtp = table(email.smtp);
  const functions: Record<string, FunctionSettings> = {};
  for (const [name, value] of Object.entries(table(config.functions))) {
    const fn = table(value);
    functions[name] = {
      verifyJwt: bool(fn.verify_jwt, true),
      enabled: bool(fn.enabled, true),
      entrypoint: typeof fn.entrypoint === 'string' ? fn.entrypoint : undefined,
      importMap: typeof fn.import_map === 'string' ? fn.import_map : undefined,
    };
  }
  return {
    projectId: str(config.project_id, 'cairn'),
    api: { maxRows: num(table(config.api).max_rows, 1000) },
    auth: {
      siteUrl: str(auth.site_url, 'http://127.0.0.1:3000'),
      additionalRedirectUrls: Array.isArray(auth.additional_redirect_urls)
        ? auth.additional_redirect_urls.map(String)
        : [],
      jwtExpiry: num(auth.jwt_expiry, 3600),
      enableRefreshTokenRotation: bool(auth.enable_refresh_token_rotation, true),
      refreshTokenReuseInterval: num(auth.refresh_token_reuse_interval, 10),
      enableSignup: bool(auth.enable_signup, true),
      enableAnonymousSignIns: bool(auth.enable_anonymous_sign_ins, false),
      minimumPasswordLength: num(auth.minimum_password_length, 6),
      enableManualLinking: bool(auth.enable_manual_linking, false),
      signingKeysPath: typeof auth.signing_keys_path === 'string' ? auth.signing_keys_path : null,
      signingKeys: loadSigningKeys(root, typeof auth.signing_keys_path === 'string' ? auth.signing_keys_path : null),
      passwordRequiredCharacters: passwordRequiredCharacters(str(auth.password_requirements, '')),
      email: {
        enableSignup: bool(email.enable_signup, true),
        enableConfirmations: bool(email.enable_confirmations, false),
        doubleConfirmChanges: bool(email.double_confirm_changes, true),
        securePasswordChange: bool(email.secure_password_change, false),
        otpLength: num(email.otp_length, 6),
        otpExpiry: num(email.otp_expiry, 3600),
        // Unset, the CLI passes 0 and GoTrue falls back to a minute.
        maxFrequencyMs: parseDuration(str(email.max_frequency, '0')) || 60_000,
      },
      mfa: {
        maxEnrolledFactors: num(mfa.max_enrolled_factors, 10),
        totp: { enrollEnabled: bool(totp.enroll_enabled, false), verifyEnabled: bool(totp.verify_enabled, false) },
      },
      rateLimit: {
        emailSent: bool(smtp.enabled, false) ? num(rateLimit.email_sent, 2) : 360_000,
        smsSent: num(rateLimit.sms_sent, 30),
        anonymousUsers: num(rateLimit.anonymous_users, 30),
        tokenRefresh: num(rateLimit.token_refresh, 150),
        signInSignUps: num(rateLimit.sign_in_sign_ups, 30),
        tokenVerifications: num(rateLimit.token_verifications, 30),
        web3: num(rateLimit.web3, 30),
      },
    },
    functions,
    storage: { fileSizeLimit: parseSize(str(table(config.storage).file_size_limit, '50MiB')) },
  };
}
