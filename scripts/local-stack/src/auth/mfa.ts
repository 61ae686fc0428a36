/**
 * TOTP multi-factor authentication (`internal/api/mfa.go`): enroll a factor, challenge it,
 * verify a code (which raises the session to aal2 and adds `totp` to its amr), unenroll.
 * Phone and WebAuthn factors are refused as disabled, as with the CLI's default config.
 */
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { inTransaction } from '../lib/db.ts';
import { badRequest, forbidden, internal, notFound, unprocessable } from './errors.ts';
import { clientIp, isUuid, requireUser, str, type AuthRequest, type Caller, type Reply } from './request.ts';
import { upgradeSession } from './sessions.ts';
import type { Db } from './users.ts';
import QRCode from 'qrcode';

/** GoTrue's `MFA_CHALLENGE_EXPIRY_DURATION` default. */
const CHALLENGE_EXPIRY_SECONDS = 300;

interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  secret: string | null;
}

function totpFor(secret: string, issuer = '', label = ''): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

/** GoTrue returns the QR code as raw SVG markup (auth-js prefixes the data URI). */
function qrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}

async function sessionAal(db: Db, sessionId: string | null): Promise<string> {
  if (!sessionId) return 'aal1';
  const { rows } = await db.query<{ aal: string | null }>('select aal from auth.sessions where id = $1', [sessionId]);
  return rows[0]?.aal ?? 'aal1';
}

function requireNotAnonymous(caller: Caller): void {
  if (caller.claims.is_anonymous === true)
    throw forbidden('no_authorization', 'Anonymous user not allowed to perform these actions');
}

function checkFactorType(type: string, kind: 'enroll' | 'verify', enabled: boolean): void {
  const label: Record<string, string> = { totp: 'TOTP', phone: 'Phone', webauthn: 'WebAuthn' };
  if (!label[type]) throw badRequest('validation_failed', 'factor_type needs to be totp, phone, or webauthn');
  const code = `mfa_${type === 'webauthn' ? 'web_authn' : type}_${kind}_not_enabled`;
  if (type !== 'totp' || !enabled) throw unprocessable(code, `MFA ${kind} is disabled for ${label[type]}`);
}

export async function enrollFactor(request: AuthRequest): Promise<Reply> {
  const caller = await requireUser(request);
  requireNotAnonymous(caller);
  const { mfa, siteUrl } = request.ctx.settings.auth;
  const body = await request.json();
  checkFactorType(str(body, 'factor_type'), 'enroll', mfa.totp.enrollEnabled);
  const friendlyName = str(body, 'friendly_name');
  const issuer = str(body, 'issuer') || new URL(siteUrl).host;
  const db = request.ctx.db;
  const { rows: factors } = await db.query<FactorRow>('select * from auth.mfa_factors where user_id = $1', [
    caller.user.id,
  ]);
  if (friendlyName && factors.some((factor) => factor.friendly_name === friendlyName)) {
    throw unprocessable(
      'mfa_factor_name_conflict',
      `A factor with the friendly name "${friendlyName}" for this user already exists`,
    );
  }
  if (factors.length >= mfa.maxEnrolledFactors)
    throw unprocessable(
      'too_many_enrolled_mfa_factors',
      'Maximum number of verified factors reached, unenroll to continue',
    );
  const verified = factors.filter((factor) => factor.status === 'verified').length;
  if (verified > 0 && (await sessionAal(db, caller.sessionId)) !== 'aal2')
    throw forbidden('insufficient_aal', 'AAL2 required to enroll a new factor');

  const secret = new Secret({ size: 20 }).base32;
  const uri = totpFor(secret, issuer, caller.user.email ?? '').toString();
  const id = randomUUID();
  await db.query(
    `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
     values ($1, $2, $3, 'totp', 'unverified', now(), now(), $4)`,
    [id, caller.user.id, friendlyName, secret],
  );
  return {
    status: 200,
    body: { id, type: 'totp', friendly_name: friendlyName, totp: { qr_code: await qrCodeSvg(uri), secret, uri } },
  };
}

/** `loadFactor`: the factor in the path, owned by the caller. */
async function loadFactor(request: AuthRequest, caller: Caller): Promise<FactorRow> {
  const id = request.params.factor_id;
  if (!isUuid(id)) throw notFound('validation_failed', 'factor_id must be an UUID');
  const { rows } = await request.ctx.db.query<FactorRow>(
    'select * from auth.mfa_factors where id = $1 and user_id = $2',
    [id, caller.user.id],
  );
  if (!rows[0]) throw notFound('mfa_factor_not_found', 'Factor not found');
  return rows[0];
}

export async function challengeFactor(request: AuthRequest): Promise<Reply> {
  const caller = await requireUser(request);
  requireNotAnonymous(caller);
  const factor = await loadFactor(request, caller);
  checkFactorType(factor.factor_type, 'verify', request.ctx.settings.auth.mfa.totp.verifyEnabled);
  const id = randomUUID();
  const { rows } = await request.ctx.db.query<{ created: string }>(
    `with challenge as (
       insert into auth.mfa_challenges (id, factor_id, created_at, ip_address) values ($1, $2, now(), $3) returning created_at
     ), touched as (update auth.mfa_factors set last_challenged_at = now() where id = $2)
     select extract(epoch from created_at)::bigint::text as created from challenge`,
    [id, factor.id, clientIp(request.req)],
  );
  return {
    status: 200,
    body: { id, type: factor.factor_type, expires_at: Number(rows[0].created) + CHALLENGE_EXPIRY_SECONDS },
  };
}

interface ChallengeRow {
  id: string;
  ip_address: string;
  created_at: Date;
  verified_at: Date | null;
}

export async function verifyFactor(request: AuthRequest): Promise<Reply> {
  const caller = await requireUser(request);
  requireNotAnonymous(caller);
  const factor = await loadFactor(request, caller);
  const body = await request.json();
  const code = str(body, 'code');
  const challengeId = str(body, 'challenge_id');
  if (!code) throw badRequest('validation_failed', 'Code needs to be non-empty');
  checkFactorType(factor.factor_type, 'verify', request.ctx.settings.auth.mfa.totp.verifyEnabled);
  const db = request.ctx.db;
  const { rows } = isUuid(challengeId)
    ? await db.query<ChallengeRow>(
        'select id, host(ip_address) as ip_address, created_at, verified_at from auth.mfa_challenges where id = $1 and factor_id = $2',
        [challengeId, factor.id],
      )
    : { rows: [] as ChallengeRow[] };
  const challenge = rows[0];
  if (!challenge) throw unprocessable('mfa_factor_not_found', 'MFA factor with the provided challenge ID not found');
  if (challenge.ip_address !== clientIp(request.req))
    throw unprocessable('mfa_ip_address_mismatch', 'Challenge and verify IP addresses mismatch.');
  if (challenge.verified_at || Date.now() > challenge.created_at.getTime() + CHALLENGE_EXPIRY_SECONDS * 1000) {
    throw unprocessable(
      'mfa_challenge_expired',
      `MFA challenge ${challenge.id} has expired, verify against another challenge or create a new challenge.`,
    );
  }
  // Same window as GoTrue's totp.ValidateCustom: 30 s period, one step of skew either way.
  if (!factor.secret || totpFor(factor.secret).validate({ token: code, window: 1 }) === null) {
    throw unprocessable('mfa_verification_failed', 'Invalid TOTP code entered');
  }
  if (!caller.sessionId) throw internal('A valid session is required to verify a factor');
  await inTransaction(db, async (tx) => {
    await tx.query('update auth.mfa_challenges set verified_at = now() where id = $1', [challenge.id]);
    await tx.query(`update auth.mfa_factors set status = 'verified', updated_at = now() where id = $1`, [factor.id]);
    // The verified factor replaces any other pending factor of its type.
    await tx.query(`delete from auth.mfa_factors where user_id = $1 and factor_type = $2 and status = 'unverified'`, [
      caller.user.id,
      factor.factor_type,
    ]);
  });
  const session = await upgradeSession(request.ctx, caller.user.id, caller.sessionId, factor.id, 'totp');
  // `InvalidateSessionsWithAALLessThan`: once a factor is verified, aal1 sessions of the user end.
  await db.query(`delete from auth.sessions where user_id = $1 and (aal is null or aal < 'aal2')`, [caller.user.id]);
  return {
    status: 200,
    body: session,
    headers: { 'sb-auth-user-id': caller.user.id, 'sb-auth-session-id': caller.sessionId },
  };
}

export async function unenrollFactor(request: AuthRequest): Promise<Reply> {
  const caller = await requireUser(request);
  requireNotAnonymous(caller);
  const factor = await loadFactor(request, caller);
  if (!caller.sessionId) throw internal('A valid session and factor are required to unenroll a factor');
  if (factor.status === 'verified' && (await sessionAal(request.ctx.db, caller.sessionId)) !== 'aal2') {
    throw unprocessable('insufficient_aal', 'AAL2 required to unenroll verified factor');
  }
  await inTransaction(request.ctx.db, async (db) => {
    await db.query('delete from auth.mfa_factors where id = $1', [factor.id]);
    // `DowngradeSessionsToAAL1`: sessions that relied on this factor drop back to aal1.
    await db.query(
      `delete from auth.mfa_amr_claims where authentication_method = $2 and session_id in (select id from auth.sessions where factor_id = $1)`,
      [factor.id, factor.factor_type],
    );
    await db.query(`update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now() where factor_id = $1`, [
      factor.id,
    ]);
  });
  return { status: 200, body: { id: factor.id } };
}
