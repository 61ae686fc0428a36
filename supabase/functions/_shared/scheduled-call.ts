/**
 * Who may call a scheduled function (check-alerts…): its schedule or the service role, nobody
 * else (security review L-5). The schedule's pg_cron job posts through
 * private.call_scheduled_function, with the anon key (the gateway wants a key) and the Vault
 * secret `cron_secret` in `X-Cron-Secret`; the function compares it with its own CRON_SECRET
 * (the same value, set as a function secret) in constant time. The service role (tests,
 * benchmarks, an operator) is recognised by the role of its JWT (`jwtClaims`), which the platform
 * verified (verify_jwt = true for these functions).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { preflight } from './cors.ts';
import { fail, readJsonBody } from './errors.ts';
import { jwtClaims } from './jwt-claims.ts';

type Env = { get(name: string): string | undefined };

export const CRON_SECRET_HEADER = 'X-Cron-Secret';

export type ScheduledCaller = 'service_role' | 'schedule';

export type CallerCheck = { ok: true; caller: ScheduledCaller } | { ok: false; response: Response };

/** Equal strings, compared in time independent of where they differ (digests of equal length). */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** `role`: the role claim of the caller's (platform-verified) JWT, or null. */
export function scheduledCaller(role: string | null, headers: Headers, env: Env = Deno.env): CallerCheck {
  if (role === 'service_role') return { ok: true, caller: 'service_role' };
  const sent = headers.get(CRON_SECRET_HEADER);
  if (sent === null) {
    return {
      ok: false,
      response: fail('forbidden', 'Only the schedule (X-Cron-Secret) or the service role may call this function'),
    };
  }
  const expected = env.get('CRON_SECRET');
  if (!expected) console.error('CRON_SECRET is not set: scheduled calls are refused until it is');
  if (!expected || !sameSecret(sent, expected)) {
    return { ok: false, response: fail('invalid_token', `${CRON_SECRET_HEADER} is not the schedule's secret`) };
  }
  return { ok: true, caller: 'schedule' };
}

export type ScheduledCall<T> = { ok: true; caller: ScheduledCaller; value: T } | { ok: false; response: Response };

/**
 * The start a scheduled function's handler shares (check-alerts, notification-emails,
 * send-campaigns): CORS → POST only → the caller (its schedule or the service role) → the JSON
 * body against `schema`. What the service role alone may set stays each function's own check.
 */
export async function readScheduledCall<S extends z.ZodType>(
  req: Request,
  env: Env,
  schema: S,
  limit = 16 * 1024,
): Promise<ScheduledCall<z.output<S>>> {
  const cors = preflight(req);
  if (cors) return { ok: false, response: cors };
  if (req.method !== 'POST') return { ok: false, response: fail('method_not_allowed', 'Use POST') };
  const caller = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers, env);
  if (!caller.ok) return caller;
  const body = await readJsonBody(req, schema, limit);
  return body.ok ? { ok: true, caller: caller.caller, value: body.value } : body;
}
