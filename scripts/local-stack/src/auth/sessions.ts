/**
 * Sessions, refresh tokens and access tokens, as GoTrue's token service keeps them: one
 * `auth.sessions` row per sign-in, a chain of `auth.refresh_tokens` per session (each refresh
 * revokes the parent), and `auth.mfa_amr_claims` recording how the session was authenticated
 * (which decides the `aal` and `amr` claims).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { StackContext } from '../context.ts';
import { inTransaction } from '../lib/db.ts';
import type { Claims } from '../lib/jwt.ts';
import { projectKeys } from '../settings.ts';
import { badRequest } from './errors.ts';
import { findUserById, isBanned, userJson, type Db, type UserRow } from './users.ts';

export type AuthMethod =
  | 'password'
  | 'otp'
  | 'magiclink'
  | 'anonymous'
  | 'totp'
  | 'recovery'
  | 'invite'
  | 'email/signup'
  | 'email_change'
  | 'pkce';

export interface SessionResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** The legacy refresh-token format (`crypto.SecureAlphanumeric(12)`), which auth-js and GoTrue accept. */
function newRefreshToken(): string {
  let token = '';
  for (let i = 0; i < 12; i++) token += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return token;
}

interface SessionRow {
  id: string;
  aal: string | null;
}

async function amrOf(db: Db, sessionId: string): Promise<Array<{ method: string; timestamp: number }>> {
  const { rows } = await db.query<{ method: string; ts: string }>(
    `select authentication_method as method, extract(epoch from updated_at)::bigint::text as ts
       from auth.mfa_amr_claims where session_id = $1 order by updated_at desc`,
    [sessionId],
  );
  return rows.map((row) => ({ method: row.method, timestamp: Number(row.ts) }));
}

/** The access token's claims, in GoTrue's order (`AccessTokenClaims`); `aud` a plain string. */
async function accessToken(
  ctx: StackContext,
  db: Db,
  user: UserRow,
  session: SessionRow,
): Promise<{ token: string; expiresAt: number }> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + ctx.settings.auth.jwtExpiry;
  const claims: Claims = {
    iss: ctx.config.authExternalUrl,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp,
    iat,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? 'authenticated',
    aal: session.aal ?? 'aal1',
    amr: await amrOf(db, session.id),
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  };
  return { token: await projectKeys(ctx.config, ctx.settings).sign(claims), expiresAt: exp };
}

async function sessionResponse(
  ctx: StackContext,
  db: Db,
  userId: string,
  session: SessionRow,
  refreshToken: string,
): Promise<SessionResponse> {
  const user = await findUserById(db, userId);
  if (!user) throw badRequest('user_not_found', 'User not found');
  const { token, expiresAt } = await accessToken(ctx, db, user, session);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: ctx.settings.auth.jwtExpiry,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: await userJson(db, user),
  };
}

async function addAmrClaim(db: Db, sessionId: string, method: AuthMethod): Promise<void> {
  await db.query(
    `insert into auth.mfa_amr_claims (id, session_id, created_at, updated_at, authentication_method)
     values ($1, $2, now(), now(), $3)
     on conflict (session_id, authentication_method) do update set updated_at = now()`,
    [randomUUID(), sessionId, method],
  );
}

async function insertRefreshToken(db: Db, userId: string, sessionId: string, parent: string | null): Promise<string> {
  const token = newRefreshToken();
  await db.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [token, userId, parent, sessionId],
  );
  return token;
}

export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

/** `issueRefreshToken`: a new session for a successful sign-in. */
export async function issueSession(
  ctx: StackContext,
  user: UserRow,
  method: AuthMethod,
  client: ClientInfo = {},
): Promise<SessionResponse> {
  return inTransaction(ctx.db, async (db) => {
    const sessionId = randomUUID();
    await db.query(
      `insert into auth.sessions (id, user_id, created_at, updated_at, aal, refreshed_at, user_agent, ip)
       values ($1, $2, now(), now(), 'aal1', now() at time zone 'utc', $3, $4)`,
      [sessionId, user.id, client.userAgent ?? null, client.ip ?? null],
    );
    await addAmrClaim(db, sessionId, method);
    const refreshToken = await insertRefreshToken(db, user.id, sessionId, null);
    await db.query(`update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1`, [user.id]);
    await db.query(`update auth.identities set last_sign_in_at = now() where user_id = $1`, [user.id]);
    return sessionResponse(ctx, db, user.id, { id: sessionId, aal: 'aal1' }, refreshToken);
  });
}

/**
 * After an MFA verification: the session is raised to aal2, gains the factor's amr claim, and
 * gets a fresh refresh token (the old chain is revoked), as `updateMFASessionAndClaims` does.
 */
export async function upgradeSession(
  ctx: StackContext,
  userId: string,
  sessionId: string,
  factorId: string,
  method: AuthMethod,
): Promise<SessionResponse> {
  return inTransaction(ctx.db, async (db) => {
    await db.query(`update auth.sessions set aal = 'aal2', factor_id = $2, updated_at = now() where id = $1`, [
      sessionId,
      factorId,
    ]);
    await addAmrClaim(db, sessionId, method);
    const { rows } = await db.query<{ token: string }>(
      `update auth.refresh_tokens set revoked = true, updated_at = now()
         where session_id = $1 and revoked = false returning token`,
      [sessionId],
    );
    const refreshToken = await insertRefreshToken(db, userId, sessionId, rows.at(-1)?.token ?? null);
    return sessionResponse(ctx, db, userId, { id: sessionId, aal: 'aal2' }, refreshToken);
  });
}

interface TokenRow {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  updated_at: Date;
  parent: string | null;
  session_id: string | null;
}

/**
 * The refresh_token grant (`tokens.Service.RefreshTokenGrant`, legacy tokens): a live token is
 * swapped for a child; re-presenting a revoked token returns the current child when that child
 * was issued from it, is tolerated within the reuse interval, and after it counts as reuse:
 * `refresh_token_already_used`, and with rotation on the whole session's chain is revoked.
 */
export async function refreshSession(
  ctx: StackContext,
  presented: string,
): Promise<{ response: SessionResponse; sessionId: string }> {
  if (!/^[a-z0-9]{12}$/.test(presented)) throw badRequest('validation_failed', 'Refresh token is not valid');
  const { enableRefreshTokenRotation, refreshTokenReuseInterval } = ctx.settings.auth;
  const client = await ctx.db.connect();
  try {
    await client.query('begin');
    const found = await client.query<TokenRow>('select * from auth.refresh_tokens where token = $1 for update', [
      presented,
    ]);
    const token = found.rows[0];
    if (!token) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const user = await findUserById(client, token.user_id);
    if (!user) throw badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
    const sessions = token.session_id
      ? await client.query<SessionRow>('select id, aal from auth.sessions where id = $1 for update', [token.session_id])
      : null;
    const session = sessions?.rows[0];
    if (!session) {
      await client.query('delete from auth.refresh_tokens where id = $1', [token.id]);
      await client.query('commit');
      throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
    }
    let issued: string | null = null;
    if (token.revoked) {
      const active = await client.query<TokenRow>(
        'select * from auth.refresh_tokens where session_id = $1 and revoked = false order by id desc limit 1',
        [session.id],
      );
      if (active.rows[0]?.parent === token.token) {
        issued = active.rows[0].token;
      } else if (Date.now() > token.updated_at.getTime() + refreshTokenReuseInterval * 1000) {
        if (enableRefreshTokenRotation) {
          await client.query(
            'update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1 and revoked = false',
            [session.id],
          );
        }
        // Committed on purpose: the revocation must stick although the request fails.
        await client.query('commit');
        throw badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
    }
    if (!issued) {
      await client.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [token.id]);
      issued = await insertRefreshToken(client, user.id, session.id, token.token);
    }
    await client.query(
      `update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = $1`,
      [session.id],
    );
    const response = await sessionResponse(ctx, client, user.id, session, issued);
    await client.query('commit');
    return { response, sessionId: session.id };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export type LogoutScope = 'global' | 'local' | 'others';

export async function logout(db: Db, userId: string, sessionId: string | null, scope: LogoutScope): Promise<void> {
  if (sessionId && scope === 'local') {
    await db.query('delete from auth.sessions where id = $1', [sessionId]);
  } else if (sessionId && scope === 'others') {
    await db.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, sessionId]);
  } else {
    await db.query('delete from auth.sessions where user_id = $1', [userId]);
  }
}
