/** The signed-in user's own endpoints: `GET/PUT /user`, `POST /logout`, `GET /reauthenticate`. */
import { inTransaction } from '../lib/db.ts';
import { badRequest, forbidden, unauthorized, unprocessable } from './errors.ts';
import { assertMailFrequency, sendEmailChange } from './flows.ts';
import { newOneTimeToken, referrer, sendAuthMail, tokenHash } from './mailer.ts';
import { obj, optionalStr, requireUser, str, type AuthRequest, type Caller, type Reply } from './request.ts';
import { logout as endSessions, type LogoutScope } from './sessions.ts';
import {
  assertEmailFree,
  findUserById,
  hashPassword,
  mergeMetadata,
  passwordMatches,
  userJson,
  validateEmail,
  type Db,
  type UserRow,
} from './users.ts';
import { checkPassword } from './account.ts';

export async function getUser(request: AuthRequest): Promise<Reply> {
  const { user } = await requireUser(request);
  return { status: 200, body: await userJson(request.ctx.db, user) };
}

const NONCE_INVALID = 'Nonce has expired or is invalid';

async function hasVerifiedFactor(db: Db, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(`select 1 from auth.mfa_factors where user_id = $1 and status = 'verified'`, [
    userId,
  ]);
  return Boolean(rowCount);
}

/** GoTrue asks for reauthentication when the session was not opened within the last 24 hours. */
const RECENT_SIGN_IN_MS = 24 * 60 * 60 * 1000;

async function signedInRecently(db: Db, sessionId: string | null): Promise<boolean> {
  if (!sessionId) return false;
  const { rows } = await db.query<{ created_at: Date }>('select created_at from auth.sessions where id = $1', [
    sessionId,
  ]);
  return Boolean(rows[0]) && Date.now() <= rows[0].created_at.getTime() + RECENT_SIGN_IN_MS;
}

async function sessionAal(db: Db, sessionId: string | null): Promise<string> {
  if (!sessionId) return 'aal1';
  const { rows } = await db.query<{ aal: string | null }>('select aal from auth.sessions where id = $1', [sessionId]);
  return rows[0]?.aal ?? 'aal1';
}

/** `verifyReauthentication`: the nonce is the OTP mailed by `GET /reauthenticate`. */
function checkNonce(request: AuthRequest, user: UserRow, nonce: string): void {
  if (!user.email)
    throw unprocessable('reauthentication_not_valid', 'Reauthentication requires an email or a phone number');
  const sentAt = user.reauthentication_sent_at;
  const fresh = sentAt && Date.now() <= sentAt.getTime() + request.ctx.settings.auth.email.otpExpiry * 1000;
  if (!fresh || !user.reauthentication_token || tokenHash(user.email, nonce) !== user.reauthentication_token) {
    throw unprocessable('reauthentication_not_valid', NONCE_INVALID);
  }
}

export async function updateUser(request: AuthRequest): Promise<Reply> {
  const caller = await requireUser(request);
  const body = await request.json();
  const password = optionalStr(body, 'password');
  const nonce = str(body, 'nonce');
  const data = obj(body, 'data');
  const rawEmail = str(body, 'email');
  const email = rawEmail ? validateEmail(rawEmail) : '';
  if (str(body, 'phone')) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (password !== undefined) checkPassword(request, password);
  if (obj(body, 'app_metadata')) throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
  const { user } = caller;
  const changingEmail = Boolean(email) && email !== user.email;
  const db = request.ctx.db;
  if (
    (password || changingEmail) &&
    (await hasVerifiedFactor(db, user.id)) &&
    (await sessionAal(db, caller.sessionId)) !== 'aal2'
  ) {
    throw unauthorized('insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.');
  }
  if (user.is_anonymous && password && !email && !user.email) {
    throw unprocessable(
      'validation_failed',
      'Updating password of an anonymous user without an email or phone is not allowed',
    );
  }
  if (changingEmail) await assertEmailFree(db, email, user.id);
  // `secure_password_change`: an old session must prove the person again with a mailed nonce.
  if (
    password !== undefined &&
    request.ctx.settings.auth.email.securePasswordChange &&
    !(await signedInRecently(db, caller.sessionId))
  ) {
    if (!nonce) throw badRequest('reauthentication_needed', 'Password update requires reauthentication');
  }
  if (nonce) checkNonce(request, user, nonce);
  if (password && (await passwordMatches(user, password))) {
    throw unprocessable('same_password', 'New password should be different from the old password.');
  }
  const redirectTo = referrer(request.ctx.settings.auth, request.req, request.url);
  await inTransaction(db, async (tx) => {
    if (password !== undefined) await changePassword(tx, caller, password);
    if (nonce) await tx.query(`update auth.users set reauthentication_token = '' where id = $1`, [user.id]);
    if (data) {
      await tx.query('update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1', [
        user.id,
        mergeMetadata(user.raw_user_meta_data, data),
      ]);
    }
    if (changingEmail) {
      const current = (await findUserById(tx, user.id)) as UserRow;
      await sendEmailChange(request.ctx, tx, current, email, redirectTo);
    }
  });
  return { status: 200, body: await userJson(db, (await findUserById(db, user.id)) as UserRow) };
}

/** `User.UpdatePassword`: new hash, and every other session of the user ends. */
async function changePassword(db: Db, caller: Caller, password: string): Promise<void> {
  await db.query('update auth.users set encrypted_password = $2, updated_at = now() where id = $1', [
    caller.user.id,
    await hashPassword(password),
  ]);
  await endSessions(db, caller.user.id, caller.sessionId, caller.sessionId ? 'others' : 'global');
}

export async function logout(request: AuthRequest): Promise<Reply> {
  const caller = await requireUser(request);
  const scope = request.url.searchParams.get('scope') ?? '';
  if (!['', 'global', 'local', 'others'].includes(scope))
    throw badRequest('validation_failed', `Unsupported logout scope "${scope}"`);
  await endSessions(request.ctx.db, caller.user.id, caller.sessionId, (scope || 'global') as LogoutScope);
  return { status: 204 };
}

export async function reauthenticate(request: AuthRequest): Promise<Reply> {
  const { user } = await requireUser(request);
  if (!user.email && !user.phone)
    throw badRequest('validation_failed', 'Reauthentication requires the user to have an email or a phone number');
  if (!user.email) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
  if (!user.email_confirmed_at) throw unprocessable('email_not_confirmed', 'Please verify your email first.');
  assertMailFrequency(request.ctx, user.reauthentication_sent_at);
  const { otp, hash } = newOneTimeToken(request.ctx.settings.auth, user.email);
  await request.ctx.db.query(
    `update auth.users set reauthentication_token = $2, reauthentication_sent_at = now() where id = $1`,
    [user.id, hash],
  );
  await sendAuthMail(request.ctx, { type: 'reauthentication', to: user.email, otp, link: '' });
  return { status: 200, body: {} };
}
