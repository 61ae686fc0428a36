/**
 * The public (apikey-only) endpoints: sign up, sign in (password, refresh token, PKCE code),
 * one-time passwords and magic links, link verification, password recovery and resends.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { header } from '../lib/http.ts';
import { inTransaction } from '../lib/db.ts';
import { idTokenGrant, validatePhone, web3Grant } from './disabled.ts';
import { AuthError, badRequest, forbidden, OAuthError, unprocessable, weakPassword } from './errors.ts';
import {
  exchangeAuthCode,
  issueAuthCode,
  pkceParams,
  PKCE_PREFIX,
  sendEmailChange,
  sendLinkMail,
  type PkceParams,
} from './flows.ts';
import { referrer, tokenHash } from './mailer.ts';
import { bool, clientIp, obj, str, type AuthRequest, type Json, type Reply } from './request.ts';
import { issueSession, refreshSession, type AuthMethod, type ClientInfo, type SessionResponse } from './sessions.ts';
import {
  confirmEmail,
  createUser,
  findUserByEmail,
  findUserById,
  isBanned,
  isConfirmed,
  passwordMatches,
  userJson,
  validateEmail,
  type Db,
  type UserRow,
} from './users.ts';

const clientOf = (request: AuthRequest): ClientInfo => ({
  userAgent: header(request.req, 'user-agent'),
  ip: clientIp(request.req),
});

/** Responses that issue tokens name the user and session in informational headers. */
function sessionReply(session: SessionResponse, sessionId?: string): Reply {
  const user = session.user as { id: string };
  const sid = sessionId ?? String(decodeJwt(session.access_token).session_id);
  return { status: 200, body: session, headers: { 'sb-auth-user-id': user.id, 'sb-auth-session-id': sid } };
}

/** bcrypt reads 72 bytes at most, so GoTrue refuses longer passwords outright. */
const MAX_PASSWORD_LENGTH = 72;

/**
 * `checkPasswordStrength`: `minimum_password_length` and `password_requirements` of config.toml.
 * (Hosted projects can add leaked-password protection, `pwned`; nothing local can check it.)
 */
export function checkPassword(request: AuthRequest, password: string): void {
  const { minimumPasswordLength, passwordRequiredCharacters } = request.ctx.settings.auth;
  if (password.length > MAX_PASSWORD_LENGTH)
    throw badRequest('validation_failed', `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`);
  const messages: string[] = [];
  const reasons: string[] = [];
  if (password.length < minimumPasswordLength) {
    reasons.push('length');
    messages.push(`Password should be at least ${minimumPasswordLength} characters.`);
  }
  const missesASet = passwordRequiredCharacters.some((set) => ![...set].some((char) => password.includes(char)));
  if (missesASet) {
    reasons.push('characters');
    messages.push(`Password should contain at least one character of each: ${passwordRequiredCharacters.join(', ')}.`);
  }
  if (reasons.length) throw weakPassword(messages, reasons);
}

const pkceFrom = (body: Json): PkceParams | undefined =>
  pkceParams(str(body, 'code_challenge'), str(body, 'code_challenge_method'));
const autoconfirm = (request: AuthRequest) => !request.ctx.settings.auth.email.enableConfirmations;

/** A stand-in user for "already registered" without autoconfirm, so signup does not reveal accounts. */
function obfuscatedUser(email: string, data: Json): Json {
  const now = new Date().toISOString();
  const id = randomUUID();
  return {
    id,
    aud: 'authenticated',
    email,
    phone: '',
    role: '',
    confirmation_sent_at: now,
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: data,
    identities: [],
    created_at: now,
    updated_at: now,
    is_anonymous: false,
  };
}

export async function signup(request: AuthRequest): Promise<Reply> {
  const { settings } = request.ctx;
  const body = await request.json();
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  const data = obj(body, 'data') ?? {};
  if (!email && !phone) return signupAnonymously(request, data);
  if (!settings.auth.enableSignup) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  if (email && phone)
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on signup.');
  // [auth.sms] enable_signup is false in the CLI's config and no SMS provider runs locally.
  if (phone) throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
  if (!settings.auth.email.enableSignup) throw badRequest('email_provider_disabled', 'Email signups are disabled');
  const password = str(body, 'password');
  if (!password) throw badRequest('validation_failed', 'Signup requires a valid password');
  checkPassword(request, password);
  const address = validateEmail(email);
  const pkce = pkceFrom(body);
  const redirectTo = referrer(settings.auth, request.req, request.url, str(body, 'redirect_to'));

  const outcome = await inTransaction(request.ctx.db, async (db) => {
    let user = await findUserByEmail(db, address);
    if (user && isConfirmed(user)) {
      if (autoconfirm(request)) throw unprocessable('user_already_exists', 'User already registered');
      return { obfuscated: obfuscatedUser(address, data) };
    }
    // An existing unconfirmed account (a pending invitation, an earlier sign-up) is left as it
    // is: GoTrue cannot be sure of the caller's identity, so it sets no password and no data.
    // What follows is GoTrue's, on purpose: with autoconfirm the account is confirmed and a
    // session issued all the same (which is why Cairn keeps confirmations on, see config.toml);
    // otherwise the mailbox gets a confirmation link.
    user ??= await createUser(db, { email: address, password, userMetadata: data, identityInMetadata: true });
    if (autoconfirm(request)) {
      await confirmEmail(db, user);
    } else {
      await sendLinkMail(request.ctx, db, user, 'signup', redirectTo, pkce);
    }
    return { user: (await findUserById(db, user.id)) as UserRow };
  });
  if ('obfuscated' in outcome) return { status: 200, body: outcome.obfuscated };
  if (!autoconfirm(request)) {
    const body = await userJson(request.ctx.db, outcome.user);
    // `HasBeenInvited`: an invitee's details are not shown to whoever signed up with the address.
    if (outcome.user.invited_at) Object.assign(body, { user_metadata: {}, identities: [] });
    return { status: 200, body };
  }
  return sessionReply(await issueSession(request.ctx, outcome.user, 'password', clientOf(request)));
}

async function signupAnonymously(request: AuthRequest, data: Json): Promise<Reply> {
  if (!request.ctx.settings.auth.enableAnonymousSignIns)
    throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  if (!request.ctx.settings.auth.enableSignup)
    throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
  const user = await createUser(request.ctx.db, { isAnonymous: true, userMetadata: data });
  return sessionReply(await issueSession(request.ctx, user, 'anonymous', clientOf(request)));
}

export async function token(request: AuthRequest): Promise<Reply> {
  switch (request.url.searchParams.get('grant_type')) {
    case 'password':
      return passwordGrant(request);
    case 'refresh_token':
      return refreshGrant(request);
    case 'pkce':
      return pkceGrant(request);
    case 'id_token':
      return idTokenGrant(request);
    case 'web3':
      return web3Grant();
    default:
      throw badRequest('invalid_credentials', 'unsupported_grant_type');
  }
}

async function passwordGrant(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  const password = str(body, 'password');
  if (email && phone)
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided on login.');
  if (phone) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (!email) throw badRequest('validation_failed', 'missing email or phone');
  const user = await findUserByEmail(request.ctx.db, email);
  if (!user || !(await passwordMatches(user, password)))
    throw badRequest('invalid_credentials', 'Invalid login credentials');
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed');
  return sessionReply(await issueSession(request.ctx, user, 'password', clientOf(request)));
}

async function refreshGrant(request: AuthRequest): Promise<Reply> {
  const refreshToken = str(await request.json(), 'refresh_token');
  if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token required');
  const { response, sessionId } = await refreshSession(request.ctx, refreshToken);
  return sessionReply(response, sessionId);
}

async function pkceGrant(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  const { userId, method } = await exchangeAuthCode(request.ctx.db, str(body, 'auth_code'), str(body, 'code_verifier'));
  const user = await findUserById(request.ctx.db, userId);
  if (!user) throw forbidden('user_not_found', 'User not found');
  return sessionReply(
    await issueSession(
      request.ctx,
      user,
      method === 'email/signup' ? 'otp' : (method as AuthMethod),
      clientOf(request),
    ),
  );
}

/** `POST /otp` (email) and `POST /magiclink`: a magic link, or a confirmation mail for a new account. */
export async function otp(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  if (str(body, 'phone')) throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
  return magicLinkFor(request, body, bool(body, 'create_user', true));
}

export async function magiclink(request: AuthRequest): Promise<Reply> {
  return magicLinkFor(request, await request.json(), true);
}

async function magicLinkFor(request: AuthRequest, body: Json, createIfMissing: boolean): Promise<Reply> {
  const { settings } = request.ctx;
  const address = validateEmail(str(body, 'email'));
  const pkce = pkceFrom(body);
  const redirectTo = referrer(settings.auth, request.req, request.url, str(body, 'redirect_to'));
  await inTransaction(request.ctx.db, async (db) => {
    let user = await findUserByEmail(db, address);
    if (!user || !isConfirmed(user)) {
      if (!user && !createIfMissing) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
      if (!user && !settings.auth.enableSignup)
        throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
      user ??= await createUser(db, {
        email: address,
        userMetadata: obj(body, 'data') ?? {},
        identityInMetadata: true,
      });
      if (!autoconfirm(request)) return sendLinkMail(request.ctx, db, user, 'signup', redirectTo, pkce);
      await confirmEmail(db, user);
    }
    return sendLinkMail(request.ctx, db, user, 'magiclink', redirectTo, pkce);
  });
  return { status: 200, body: {} };
}

export async function recover(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  const address = validateEmail(str(body, 'email'));
  const pkce = pkceFrom(body);
  const redirectTo = referrer(request.ctx.settings.auth, request.req, request.url, str(body, 'redirect_to'));
  await inTransaction(request.ctx.db, async (db) => {
    const user = await findUserByEmail(db, address);
    // An unknown address answers like a known one, so recovery does not reveal accounts.
    if (user) await sendLinkMail(request.ctx, db, user, 'recovery', redirectTo, pkce);
  });
  return { status: 200, body: {} };
}

export async function resend(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  const type = str(body, 'type');
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  if (!['signup', 'email_change', 'sms', 'phone_change'].includes(type))
    throw badRequest('validation_failed', 'Missing one of these types: signup, email_change, sms, phone_change');
  if ((type === 'signup' || type === 'email_change') && !email)
    throw badRequest('validation_failed', 'Type provided requires an email address');
  if ((type === 'sms' || type === 'phone_change') && !phone)
    throw badRequest('validation_failed', 'Type provided requires a phone number');
  if (email && phone)
    throw badRequest('validation_failed', 'Only an email address or phone number should be provided.');
  if (phone) throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
  const address = validateEmail(email);
  const redirectTo = referrer(request.ctx.settings.auth, request.req, request.url, str(body, 'redirect_to'));
  await inTransaction(request.ctx.db, async (db) => {
    const user = await findUserByEmail(db, address);
    if (!user) return;
    if (type === 'signup' && !isConfirmed(user))
      await sendLinkMail(request.ctx, db, user, 'signup', redirectTo, pkceFrom(body));
    if (type === 'email_change' && user.email_change) {
      await sendEmailChange(request.ctx, db, user, user.email_change, redirectTo);
    }
  });
  return { status: 200, body: {} };
}

// ---------------------------------------------------------------------------------------------
// Verification of mailed tokens.

type VerifyType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email_change' | 'email';
const VERIFY_TYPES = new Set<string>([
  'signup',
  'invite',
  'recovery',
  'magiclink',
  'email_change',
  'email',
  'sms',
  'phone_change',
]);
const LINK_INVALID = () => forbidden('otp_expired', 'Email link is invalid or has expired');
const OTP_INVALID = () => forbidden('otp_expired', 'Token has expired or is invalid');

const expired = (request: AuthRequest, sentAt: Date | null) =>
  !sentAt || Date.now() > sentAt.getTime() + request.ctx.settings.auth.email.otpExpiry * 1000;

/** Finds the user a token hash belongs to, checks its age and settles the effective type (`email` → signup or magiclink). */
async function userForTokenHash(
  request: AuthRequest,
  db: Db,
  type: VerifyType,
  hash: string,
  viaLink: boolean,
): Promise<{ user: UserRow; type: VerifyType }> {
  const invalid = viaLink ? LINK_INVALID : OTP_INVALID;
  const candidates = [hash, `${PKCE_PREFIX}${hash}`];
  const where: Record<VerifyType, string> = {
    signup: 'confirmation_token = any($1)',
    invite: 'confirmation_token = any($1)',
    recovery: 'recovery_token = any($1)',
    magiclink: 'recovery_token = any($1)',
    email: '(confirmation_token = any($1) or recovery_token = any($1))',
    email_change: '(email_change_token_new = any($1) or email_change_token_current = any($1))',
  };
  const { rows } = await db.query<UserRow>(`select * from auth.users where ${where[type]} limit 1 for update`, [
    candidates,
  ]);
  const user = rows[0];
  if (!user) throw invalid();
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  let effective = type;
  if (type === 'email') effective = candidates.includes(user.recovery_token ?? '') ? 'magiclink' : 'signup';
  const sentAt =
    effective === 'signup' || effective === 'invite'
      ? user.confirmation_sent_at
      : effective === 'email_change'
        ? user.email_change_sent_at
        : user.recovery_sent_at;
  if (expired(request, sentAt)) throw invalid();
  return { user, type: effective };
}

interface Verified {
  user: UserRow | null;
  type: VerifyType;
  /** The token as stored (a `pkce_` prefix means the PKCE flow). */
  storedToken: string;
}

/** Applies a verified token: confirm, sign in, or move the email; null user = first half of a double email change. */
async function applyVerification(
  request: AuthRequest,
  db: Db,
  user: UserRow,
  type: VerifyType,
  hash: string,
): Promise<Verified> {
  const storedToken =
    [user.confirmation_token, user.recovery_token, user.email_change_token_new, user.email_change_token_current].find(
      (value) => value === hash || value === `${PKCE_PREFIX}${hash}`,
    ) ?? hash;
  switch (type) {
    case 'signup':
    case 'invite':
      await confirmEmail(db, user);
      break;
    case 'recovery':
    case 'magiclink':
      await db.query(
        `update auth.users set recovery_token = '', email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() where id = $1`,
        [user.id],
      );
      if (!user.email_confirmed_at) await confirmEmail(db, user);
      break;
    case 'email_change':
      if (!(await confirmEmailChange(request, db, user, hash))) return { user: null, type, storedToken };
      break;
    default:
      throw badRequest('validation_failed', 'Unsupported verification type');
  }
  await db.query(`delete from auth.one_time_tokens where user_id = $1 and token_hash = $2`, [user.id, storedToken]);
  return { user: await findUserById(db, user.id), type, storedToken };
}

/** True once the change is complete; false after the first of two confirmations (secure email change). */
async function confirmEmailChange(request: AuthRequest, db: Db, user: UserRow, hash: string): Promise<boolean> {
  const secure =
    !autoconfirm(request) &&
    request.ctx.settings.auth.email.doubleConfirmChanges &&
    user.email_change_confirm_status === 0 &&
    Boolean(user.email) &&
    Boolean(user.email_change_token_current);
  if (secure) {
    const column = user.email_change_token_current === hash ? 'email_change_token_current' : 'email_change_token_new';
    await db.query(`update auth.users set email_change_confirm_status = 1, ${column} = '' where id = $1`, [user.id]);
    return false;
  }
  const newEmail = user.email_change ?? '';
  await db.query(
    `update auth.users set email = $2::text, email_change = '', email_change_token_new = '', email_change_token_current = '',
       email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()), is_anonymous = false,
       raw_user_meta_data = case when raw_user_meta_data ? 'email' then jsonb_set(raw_user_meta_data, '{email}', to_jsonb($2::text)) else raw_user_meta_data end,
       updated_at = now()
     where id = $1`,
    [user.id, newEmail],
  );
  await db.query(
    `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', true), updated_at = now()
     where user_id = $1 and provider = 'email'`,
    [user.id, newEmail],
  );
  return true;
}

const SINGLE_CONFIRMATION = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

/** GoTrue records every verified email token as an `otp` sign-in (`models.OTP`). */
const methodFor = (_type: VerifyType): AuthMethod => 'otp';

export async function verifyPost(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  const type = str(body, 'type');
  const tokenValue = str(body, 'token');
  let hash = str(body, 'token_hash');
  const email = str(body, 'email');
  const phone = str(body, 'phone');
  if (!type) throw badRequest('validation_failed', 'Verify requires a verification type');
  if ((!tokenValue && !hash) || (tokenValue && hash))
    throw badRequest('validation_failed', 'Verify requires either a token or a token hash');
  if (tokenValue) {
    if (phone && !email) {
      // A phone OTP: GoTrue checks the number, then looks for the user and token. No SMS is
      // ever sent here (no SMS provider runs), so no phone token can match: 403, as GoTrue
      // answers a wrong or expired code.
      validatePhone(phone);
      throw OTP_INVALID();
    }
    if (!email || phone)
      throw badRequest('validation_failed', 'Only an email address or phone number should be provided on verify');
    let address: string;
    try {
      address = validateEmail(email);
    } catch {
      throw unprocessable('validation_failed', 'Invalid email format');
    }
    // An email-change OTP is hashed with the address it was sent to (either one).
    hash = tokenHash(type === 'email_change' ? email.toLowerCase() : address, tokenValue);
  } else if (email || phone || str(body, 'redirect_to')) {
    throw badRequest('validation_failed', 'Only the token_hash and type should be provided');
  }
  if (!VERIFY_TYPES.has(type) || type === 'sms' || type === 'phone_change')
    throw badRequest('validation_failed', 'Unsupported verification type');
  const result = await inTransaction(request.ctx.db, async (db) => {
    const found = await userForTokenHash(request, db, type as VerifyType, hash, false);
    if (tokenValue && type !== 'email_change' && found.user.email?.toLowerCase() !== email.toLowerCase())
      throw OTP_INVALID();
    return applyVerification(request, db, found.user, found.type, hash);
  });
  if (!result.user) return { status: 200, body: { msg: SINGLE_CONFIRMATION, code: '200' } };
  return sessionReply(await issueSession(request.ctx, result.user, methodFor(result.type), clientOf(request)));
}

/** Go's url.Values.Encode: keys sorted, form encoding. */
function encodeSorted(values: Record<string, string>): string {
  return Object.keys(values)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(values[key]).replace(/%20/g, '+')}`)
    .join('&');
}

const OAUTH_ERROR: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

/** `GET /verify`: the mailed link. Always a 303, to redirect_to with tokens (or `?code=`) or an error in the fragment. */
export async function verifyGet(request: AuthRequest): Promise<Reply> {
  const type = request.url.searchParams.get('type') ?? '';
  const tokenValue = request.url.searchParams.get('token') ?? '';
  if (!type) throw badRequest('validation_failed', 'Verify requires a verification type');
  if (!tokenValue) throw badRequest('validation_failed', 'Verify requires a token or a token hash');
  const redirectTo = referrer(request.ctx.settings.auth, request.req, request.url);
  const isPkce = tokenValue.startsWith(PKCE_PREFIX);
  const hash = isPkce ? tokenValue.slice(PKCE_PREFIX.length) : tokenValue;
  const location = (fragment: Record<string, string>, query?: Record<string, string>) => {
    const target = new URL(redirectTo);
    for (const [key, value] of Object.entries(query ?? {})) target.searchParams.set(key, value);
    target.hash = encodeSorted(fragment);
    return target.toString();
  };
  try {
    if (!['signup', 'invite', 'recovery', 'magiclink', 'email_change'].includes(type))
      throw badRequest('validation_failed', 'Unsupported verification type');
    const result = await inTransaction(request.ctx.db, async (db) => {
      const found = await userForTokenHash(request, db, type as VerifyType, hash, true);
      const verified = await applyVerification(request, db, found.user, found.type, hash);
      const code =
        verified.user && isPkce
          ? await issueAuthCode(db, verified.user.id, type === 'signup' || type === 'invite' ? 'email/signup' : type)
          : null;
      return { verified, code };
    });
    if (!result.verified.user) return redirect(location({ message: SINGLE_CONFIRMATION, sb: '' }));
    if (result.code) {
      const target = new URL(redirectTo);
      target.searchParams.set('code', result.code);
      return redirect(target.toString());
    }
    const session = await issueSession(
      request.ctx,
      result.verified.user,
      methodFor(result.verified.type),
      clientOf(request),
    );
    const fragment = {
      access_token: session.access_token,
      token_type: session.token_type,
      expires_in: String(session.expires_in),
      expires_at: String(session.expires_at),
      refresh_token: session.refresh_token,
      sb: '',
      type,
    };
    return redirect(`${redirectTo}#${encodeSorted(fragment)}`);
  } catch (error) {
    if (!(error instanceof AuthError) || error.status >= 500) throw error;
    const fragment: Record<string, string> = { error_code: error.code, error_description: error.message, sb: '' };
    if (OAUTH_ERROR[error.status]) fragment.error = OAUTH_ERROR[error.status];
    const query = isPkce
      ? {
          ...(OAUTH_ERROR[error.status] ? { error: OAUTH_ERROR[error.status] } : {}),
          error_code: error.code,
          error_description: error.message,
        }
      : undefined;
    return redirect(location(fragment, query));
  }
}

const redirect = (location: string): Reply => ({ status: 303, headers: { location } });
