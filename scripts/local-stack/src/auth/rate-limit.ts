/**
 * GoTrue's request rate limits (`internal/api/apilimiter`, `api.go`, `token.go`), configured by
 * `[auth.rate_limit]` in config.toml as the CLI passes it:
 *
 * | Endpoint                                   | Limit (config.toml)                                   |
 * | ------------------------------------------ | ----------------------------------------------------- |
 * | POST /token (password, refresh, pkce, id)  | token_refresh per 5 min, burst 30                     |
 * | GET/POST /verify                           | token_verifications per 5 min, burst 30               |
 * | POST /signup, /recover, /resend, /magiclink, /otp, PUT /user | sign_in_sign_ups per 5 min, burst 30, one bucket per endpoint |
 * | POST /signup without email or phone        | anonymous_users per hour, burst anonymous_users       |
 * | POST /factors/{id}/challenge, /verify      | 15 per minute, burst 30 (GoTrue's default)            |
 * | every email auth sends                     | email_sent per hour, for the whole server             |
 *
 * Each limit is a token bucket per client address, as tollbooth's. The address is the
 * connection's peer: the gateway hands auth requests over in-process, so no header a client
 * sends (X-Forwarded-For included) can change it.
 *
 * Two rules GoTrue itself does not have, so that a reachable local or test stack cannot be used
 * to guess a password or a one-time code from many addresses: failed password sign-ins and
 * failed OTP verifications are also limited per account (same size and pace as the endpoint's
 * limit; while an account's bucket is empty, every attempt for it is refused), and a mailed OTP
 * is invalidated after MAX_OTP_ATTEMPTS wrong tries.
 *
 * CAIRN_STACK_AUTH_RATE_LIMIT_FACTOR=<n> multiplies the per-address limits (never the per-account
 * ones) by n. Only the shared test instance sets it (scripts/testing/global-setup.ts): the suite
 * signs in hundreds of times from 127.0.0.1. `npm run dev` and `supabase:start` run config.toml's values.
 */
import type { IncomingMessage } from 'node:http';
import type { MailSink } from '../context.ts';
import type { Pool } from '../lib/db.ts';
import type { RateLimitSettings } from '../settings.ts';
import { AuthError } from './errors.ts';
import type { AuthRequest, Reply } from './request.ts';

export const RATE_LIMIT_FACTOR_ENV = 'CAIRN_STACK_AUTH_RATE_LIMIT_FACTOR';
/** Wrong codes after which a mailed OTP stops working. */
export const MAX_OTP_ATTEMPTS = 5;

export type LimitedEndpoint =
  | 'signup'
  | 'token'
  | 'verify'
  | 'recover'
  | 'resend'
  | 'magiclink'
  | 'otp'
  | 'user'
  | 'factor_challenge'
  | 'factor_verify';

const tooManyRequests = () => new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');

/** A token bucket per key: `burst` requests at once, refilled at `perSecond`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private takes = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly idleMs = 60 * 60_000,
  ) {}

  private level(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.burst;
    return Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
  }

  /** True when `key` may make one more request now. */
  available(key: string, now = Date.now()): boolean {
    return this.level(key, now) >= 1;
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    if (++this.takes % 1000 === 0) this.sweep(now);
    const tokens = this.level(key, now);
    if (tokens < 1) return false;
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return true;
  }

  /** Forgets buckets idle long enough to be full again. */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > this.idleMs) this.buckets.delete(key);
  }
}

/** GoTrue's email_sent limiter (`ratelimit.IntervalLimiter`): `events` per fixed window, for the whole server. */
export class IntervalLimiter {
  private windowStart: number;
  private count = 0;

  constructor(
    private readonly events: number,
    private readonly windowMs: number,
    now = Date.now(),
  ) {
    this.windowStart = now;
  }

  allow(now = Date.now()): boolean {
    const windows = Math.floor((now - this.windowStart) / this.windowMs);
    if (windows > 0) {
      this.windowStart += windows * this.windowMs;
      this.count = 0;
    }
    if (this.count >= this.events) return false;
    this.count += 1;
    return true;
  }
}

const FIVE_MINUTES = 300;

export function rateLimitFactor(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[RATE_LIMIT_FACTOR_ENV];
  if (raw === undefined || raw === '') return 1;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor < 1) throw new Error(`${RATE_LIMIT_FACTOR_ENV} must be a number ≥ 1`);
  return factor;
}

/** The client address a limit is keyed on: the connection's peer, never a header. */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? 'unknown';
}

/** Which token columns a verification type checks (as account.ts's userForTokenHash). */
const OTP_COLUMNS: Record<string, string[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email: ['confirmation_token', 'recovery_token'],
  email_change: ['email_change_token_new', 'email_change_token_current'],
};

export class AuthRateLimits {
  private readonly perAddress: Record<LimitedEndpoint, TokenBuckets> & { anonymous: TokenBuckets; web3: TokenBuckets };
  private readonly failedPasswords: TokenBuckets;
  private readonly failedCodes: TokenBuckets;
  /** Wrong tries per stored token (`<user>:<column>:<token>`), so a new code starts from zero. */
  private readonly otpAttempts = new Map<string, { count: number; at: number }>();
  private readonly emails: IntervalLimiter;

  constructor(
    settings: RateLimitSettings,
    readonly factor = 1,
  ) {
    const per5min = (limit: number) => new TokenBuckets((limit * factor) / FIVE_MINUTES, 30 * factor);
    this.perAddress = {
      token: per5min(settings.tokenRefresh),
      verify: per5min(settings.tokenVerifications),
      signup: per5min(settings.signInSignUps),
      recover: per5min(settings.signInSignUps),
      resend: per5min(settings.signInSignUps),
      magiclink: per5min(settings.signInSignUps),
      otp: per5min(settings.signInSignUps),
      user: per5min(settings.signInSignUps),
      web3: per5min(settings.web3),
      anonymous: new TokenBuckets((settings.anonymousUsers * factor) / 3600, settings.anonymousUsers * factor),
      factor_challenge: new TokenBuckets((15 * factor) / 60, 30 * factor, 60_000),
      factor_verify: new TokenBuckets((15 * factor) / 60, 30 * factor, 60_000),
    };
    this.failedPasswords = new TokenBuckets(settings.tokenRefresh / FIVE_MINUTES, 30);
    this.failedCodes = new TokenBuckets(settings.tokenVerifications / FIVE_MINUTES, 30);
    this.emails = new IntervalLimiter(settings.emailSent, 3600_000);
  }

  /** Auth's mail, counted against email_sent: past it GoTrue answers 429 and sends nothing. */
  limitMail(sink: MailSink): MailSink {
    return {
      deliver: (mail) => {
        if (!this.emails.allow()) throw new AuthError(429, 'over_email_send_rate_limit', 'email rate limit exceeded');
        return sink.deliver(mail);
      },
    };
  }

  /** Runs `handler` for `request` under the limits of `endpoint`. */
  async run(endpoint: LimitedEndpoint, request: AuthRequest, handler: () => Promise<Reply>): Promise<Reply> {
    const address = clientAddress(request.req);
    switch (endpoint) {
      case 'signup':
        return this.signup(request, address, handler);
      case 'token':
        return this.token(request, address, handler);
      case 'verify':
        return this.verify(request, address, handler);
      default:
        this.limit(this.perAddress[endpoint], address);
        return handler();
    }
  }

  private limit(buckets: TokenBuckets, key: string): void {
    if (!buckets.take(key)) throw tooManyRequests();
  }

  /** GoTrue parses the body first; anonymous sign-ins have their own hourly limit. */
  private async signup(request: AuthRequest, address: string, handler: () => Promise<Reply>): Promise<Reply> {
    const body = await request.json();
    const anonymous = !body.email && !body.phone;
    if (anonymous) {
      if (request.ctx.settings.auth.enableAnonymousSignIns) this.limit(this.perAddress.anonymous, address);
    } else this.limit(this.perAddress.signup, address);
    return handler();
  }

  private async token(request: AuthRequest, address: string, handler: () => Promise<Reply>): Promise<Reply> {
    const grant = request.url.searchParams.get('grant_type');
    if (grant === 'web3') this.limit(this.perAddress.web3, address);
    else if (grant && ['password', 'refresh_token', 'pkce', 'id_token'].includes(grant))
      this.limit(this.perAddress.token, address);
    if (grant !== 'password') return handler();
    const account = await accountOf(request);
    if (account && !this.failedPasswords.available(account)) throw tooManyRequests();
    try {
      return await handler();
    } catch (error) {
      if (account && error instanceof AuthError && error.code === 'invalid_credentials')
        this.failedPasswords.take(account);
      throw error;
    }
  }

  private async verify(request: AuthRequest, address: string, handler: () => Promise<Reply>): Promise<Reply> {
    this.limit(this.perAddress.verify, address);
    // Only a code typed with its address can be guessed; a token_hash is 56 hex characters.
    const body = request.req.method === 'POST' ? await request.json().catch(() => null) : null;
    const account = body && typeof body.token === 'string' && body.token ? await accountOf(request) : null;
    if (account && !this.failedCodes.available(account)) throw tooManyRequests();
    try {
      return await handler();
    } catch (error) {
      if (account && error instanceof AuthError && error.code === 'otp_expired') {
        this.failedCodes.take(account);
        await this.countWrongCode(request.ctx.db, account, String(body?.type ?? ''));
      }
      throw error;
    }
  }

  /** One more wrong code for each live token of that type; the MAX_OTP_ATTEMPTS-th kills it. */
  private async countWrongCode(db: Pool, email: string, type: string): Promise<void> {
    const columns = OTP_COLUMNS[type];
    if (!columns) return;
    const { rows } = await db.query<Record<string, string | null>>(
      `select id, ${columns.join(', ')} from auth.users
        where lower(email) = $1 or lower(email_change) = $1`,
      [email],
    );
    const now = Date.now();
    this.forgetOldAttempts(now);
    for (const user of rows) {
      for (const column of columns) {
        const token = user[column];
        if (!token) continue;
        const key = `${user.id}:${column}:${token}`;
        const count = (this.otpAttempts.get(key)?.count ?? 0) + 1;
        this.otpAttempts.set(key, { count, at: now });
        if (count < MAX_OTP_ATTEMPTS) continue;
        this.otpAttempts.delete(key);
        await db.query(`update auth.users set ${column} = '', updated_at = now() where id = $1 and ${column} = $2`, [
          user.id,
          token,
        ]);
        await db.query('delete from auth.one_time_tokens where user_id = $1 and token_hash = $2', [user.id, token]);
      }
    }
  }

  private forgetOldAttempts(now: number): void {
    if (this.otpAttempts.size < 1000) return;
    for (const [key, attempt] of this.otpAttempts) if (now - attempt.at > 24 * 3600_000) this.otpAttempts.delete(key);
  }
}

/** The account a request names: its email, lower-cased; null when it names none. */
async function accountOf(request: AuthRequest): Promise<string | null> {
  const body = await request.json().catch(() => null);
  const email = body?.email;
  return typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : null;
}
