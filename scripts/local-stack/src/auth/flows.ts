/**
 * The email flows shared by several endpoints: store a one-time token on the user and mail
 * it, and the PKCE flow state that turns a verified link into `?code=` instead of tokens.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { StackContext } from '../context.ts';
import { AuthError, badRequest, notFound } from './errors.ts';
import { actionLink, newOneTimeToken, sendAuthMail, type LinkType } from './mailer.ts';
import type { Db, UserRow } from './users.ts';

export const PKCE_PREFIX = 'pkce_';

export interface PkceParams {
  codeChallenge: string;
  codeChallengeMethod: string;
}

/** Which user column holds the token of each link type. */
const TOKEN_COLUMN: Record<Exclude<LinkType, 'email_change'>, { token: string; sentAt: string }> = {
  signup: { token: 'confirmation_token', sentAt: 'confirmation_sent_at' },
  invite: { token: 'confirmation_token', sentAt: 'confirmation_sent_at' },
  recovery: { token: 'recovery_token', sentAt: 'recovery_sent_at' },
  magiclink: { token: 'recovery_token', sentAt: 'recovery_sent_at' },
};

const ONE_TIME_TOKEN_TYPE: Record<string, string> = {
  confirmation_token: 'confirmation_token',
  recovery_token: 'recovery_token',
  email_change_token_new: 'email_change_token_new',
  email_change_token_current: 'email_change_token_current',
  reauthentication_token: 'reauthentication_token',
};

/** GoTrue mirrors every live token into auth.one_time_tokens (one per user and type). */
async function recordOneTimeToken(
  db: Db,
  userId: string,
  column: string,
  hash: string,
  relatesTo: string,
): Promise<void> {
  await db.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
     values ($1, $2, $3, $4, $5)
     on conflict (user_id, token_type) do update set token_hash = excluded.token_hash, relates_to = excluded.relates_to, updated_at = now()`,
    [randomUUID(), userId, ONE_TIME_TOKEN_TYPE[column], hash, relatesTo],
  );
}

export interface IssuedLink {
  otp: string;
  hash: string;
  link: string;
}

/**
 * Stores a fresh token for `type` on the user and returns OTP, hash and link. With PKCE the
 * stored token (and the link's) carries the `pkce_` prefix, which `GET /verify` recognises.
 */
export async function issueLinkToken(
  ctx: StackContext,
  db: Db,
  user: UserRow,
  type: Exclude<LinkType, 'email_change'>,
  redirectTo: string,
  pkce?: PkceParams,
): Promise<IssuedLink> {
  const email = user.email ?? '';
  const { otp, hash } = newOneTimeToken(ctx.settings.auth, email);
  const stored = pkce ? `${PKCE_PREFIX}${hash}` : hash;
  const { token, sentAt } = TOKEN_COLUMN[type];
  const invited = type === 'invite' ? ', invited_at = now()' : '';
  await db.query(`update auth.users set ${token} = $2, ${sentAt} = now()${invited}, updated_at = now() where id = $1`, [
    user.id,
    stored,
  ]);
  await recordOneTimeToken(db, user.id, token, stored, email);
  if (pkce) await createFlowState(db, user.id, pkce, type === 'signup' || type === 'invite' ? 'email/signup' : type);
  return { otp, hash, link: actionLink(ctx, stored, type, redirectTo) };
}

/**
 * `validateSentWithinFrequencyLimit`: `[auth.email] max_frequency` between two mails of one
 * kind to one user (confirmation, recovery and magic link share `recovery_sent_at`, email
 * change, reauthentication), else 429 over_email_send_rate_limit. Invitations and generated
 * links are not limited.
 */
export function assertMailFrequency(ctx: StackContext, sentAt: Date | null): void {
  const frequency = ctx.settings.auth.email.maxFrequencyMs;
  if (!sentAt || sentAt.getTime() + frequency <= Date.now()) return;
  const left = Math.trunc((sentAt.getTime() + frequency - Date.now()) / 1000);
  throw new AuthError(
    429,
    'over_email_send_rate_limit',
    `For security purposes, you can only request this after ${left} seconds.`,
  );
}

export async function sendLinkMail(
  ctx: StackContext,
  db: Db,
  user: UserRow,
  type: Exclude<LinkType, 'email_change'>,
  redirectTo: string,
  pkce?: PkceParams,
): Promise<void> {
  if (type === 'signup') assertMailFrequency(ctx, user.confirmation_sent_at);
  if (type === 'recovery' || type === 'magiclink') assertMailFrequency(ctx, user.recovery_sent_at);
  const issued = await issueLinkToken(ctx, db, user, type, redirectTo, pkce);
  await sendAuthMail(ctx, { type, to: user.email ?? '', otp: issued.otp, link: issued.link });
}

/**
 * `sendEmailChange`: a token for the new address and, with secure email change (double
 * confirmation), one for the current address too; each mailed to its own address.
 */
export async function sendEmailChange(
  ctx: StackContext,
  db: Db,
  user: UserRow,
  newEmail: string,
  redirectTo: string,
  options: { limited?: boolean } = {},
): Promise<{ otpNew: string; hashNew: string; otpCurrent: string; hashCurrent: string }> {
  if (options.limited ?? true) assertMailFrequency(ctx, user.email_change_sent_at);
  const fresh = newOneTimeToken(ctx.settings.auth, newEmail);
  const current = newOneTimeToken(ctx.settings.auth, user.email ?? '');
  const secure = ctx.settings.auth.email.doubleConfirmChanges && Boolean(user.email);
  await db.query(
    `update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
       email_change_sent_at = now(), email_change_confirm_status = 0, updated_at = now() where id = $1`,
    [user.id, newEmail, fresh.hash, secure ? current.hash : ''],
  );
  await recordOneTimeToken(db, user.id, 'email_change_token_new', fresh.hash, newEmail);
  await sendAuthMail(ctx, {
    type: 'email_change',
    to: newEmail,
    otp: fresh.otp,
    link: actionLink(ctx, fresh.hash, 'email_change', redirectTo),
    email: user.email ?? '',
    newEmail,
  });
  if (secure) {
    await recordOneTimeToken(db, user.id, 'email_change_token_current', current.hash, user.email ?? '');
    await sendAuthMail(ctx, {
      type: 'email_change',
      to: user.email ?? '',
      otp: current.otp,
      link: actionLink(ctx, current.hash, 'email_change', redirectTo),
      email: user.email ?? '',
      newEmail,
    });
  }
  return { otpNew: fresh.otp, hashNew: fresh.hash, otpCurrent: current.otp, hashCurrent: current.hash };
}

/** Reads `code_challenge` / `code_challenge_method`; both or neither, as `validatePKCEParams`. */
export function pkceParams(codeChallenge: string, codeChallengeMethod: string): PkceParams | undefined {
  if (!codeChallenge && !codeChallengeMethod) return undefined;
  if (!codeChallenge || !codeChallengeMethod) {
    throw badRequest('validation_failed', 'PKCE flow requires code_challenge_method and code_challenge');
  }
  const method = codeChallengeMethod.toLowerCase();
  if (method !== 's256' && method !== 'plain')
    throw badRequest('validation_failed', `code challenge method not supported: ${codeChallengeMethod}`);
  if (codeChallenge.length < 43 || codeChallenge.length > 128) {
    throw badRequest('validation_failed', 'code challenge has to be between 43 and 128 characters');
  }
  return { codeChallenge, codeChallengeMethod: method };
}

async function createFlowState(db: Db, userId: string, pkce: PkceParams, method: string): Promise<void> {
  await db.query(
    `insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, provider_type, created_at, updated_at, authentication_method)
     values ($1, $2, $3, $4, $5, 'email', now(), now(), $6)`,
    [randomUUID(), userId, randomUUID(), pkce.codeChallengeMethod, pkce.codeChallenge, method],
  );
}

/** `issueAuthCode`: the newest flow state of the user for this method gets its code issued. */
export async function issueAuthCode(db: Db, userId: string, method: string): Promise<string> {
  const { rows } = await db.query<{ auth_code: string }>(
    `update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
       where id = (select id from auth.flow_state where user_id = $1 and authentication_method = $2 order by created_at desc limit 1)
     returning auth_code`,
    [userId, method],
  );
  if (!rows[0]) throw notFound('flow_state_not_found', 'No associated flow state found');
  return rows[0].auth_code;
}

interface FlowStateRow {
  id: string;
  user_id: string | null;
  code_challenge_method: string;
  code_challenge: string;
  authentication_method: string;
  created_at: Date;
}

/** Consumes a flow state for `grant_type=pkce`; returns the user and the method it authenticates. */
export async function exchangeAuthCode(
  db: Db,
  authCode: string,
  verifier: string,
): Promise<{ userId: string; method: string }> {
  if (!authCode || !verifier)
    throw badRequest('validation_failed', 'invalid request: both auth code and code verifier should be non-empty');
  const { rows } = await db.query<FlowStateRow>('select * from auth.flow_state where auth_code = $1', [authCode]);
  const flow = rows[0];
  if (!flow || !flow.user_id) throw notFound('flow_state_not_found', 'invalid flow state, no valid flow state found');
  if (Date.now() - flow.created_at.getTime() > 300_000)
    throw notFound('flow_state_expired', 'invalid flow state, flow state has expired');
  const expected =
    flow.code_challenge_method === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  if (expected !== flow.code_challenge) throw forbiddenPkce();
  await db.query('delete from auth.flow_state where id = $1', [flow.id]);
  return { userId: flow.user_id, method: flow.authentication_method };
}

const forbiddenPkce = () =>
  badRequest('bad_code_verifier', 'code challenge does not match previously saved code verifier');
