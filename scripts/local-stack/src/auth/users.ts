/**
 * `auth.users` and `auth.identities` rows, and their JSON as GoTrue serializes `models.User`
 * (empty strings for a missing email/phone, timestamps omitted when null, secrets never).
 */
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Pool, PoolClient } from '../lib/db.ts';
import { badRequest, unprocessable } from './errors.ts';

export type Db = Pool | PoolClient;
type Json = Record<string, unknown>;

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  confirmation_token: string | null;
  confirmation_sent_at: Date | null;
  recovery_token: string | null;
  recovery_sent_at: Date | null;
  email_change_token_new: string | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  email_change_token_current: string | null;
  email_change_confirm_status: number | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  phone_confirmed_at: Date | null;
  phone_change: string | null;
  phone_change_sent_at: Date | null;
  confirmed_at: Date | null;
  banned_until: Date | null;
  reauthentication_token: string | null;
  reauthentication_sent_at: Date | null;
  is_sso_user: boolean;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  email: string | null;
}

interface FactorRow {
  id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  last_challenged_at: Date | null;
  phone: string | null;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>('select * from auth.users where id = $1', [id]);
  return rows[0] ?? null;
}

/** Email users of the `authenticated` audience; SSO accounts may share an address and are skipped. */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `select * from auth.users where lower(email) = lower($1) and aud = 'authenticated' and is_sso_user = false limit 1`,
    [email],
  );
  return rows[0] ?? null;
}

export const isConfirmed = (user: UserRow) => user.email_confirmed_at !== null || user.phone_confirmed_at !== null;
export const isBanned = (user: UserRow) => user.banned_until !== null && user.banned_until > new Date();

const iso = (value: Date | null) => (value ? value.toISOString() : undefined);
/** Go's `omitempty`: keys whose value is undefined or "" are left out. */
function omitEmpty(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== ''));
}

export function identityJson(row: IdentityRow): Json {
  return {
    identity_id: row.id,
    id: row.provider_id,
    user_id: row.user_id,
    identity_data: row.identity_data,
    provider: row.provider,
    last_sign_in_at: iso(row.last_sign_in_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    email: row.email ?? undefined,
  };
}

export function factorJson(row: FactorRow): Json {
  return omitEmpty({
    id: row.id,
    friendly_name: row.friendly_name ?? undefined,
    factor_type: row.factor_type,
    status: row.status,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    last_challenged_at: iso(row.last_challenged_at),
    phone: row.phone ?? undefined,
  });
}

export async function listFactors(db: Db, userId: string): Promise<Json[]> {
  const { rows } = await db.query<FactorRow>('select * from auth.mfa_factors where user_id = $1 order by created_at', [
    userId,
  ]);
  return rows.map(factorJson);
}

export async function userJson(db: Db, user: UserRow): Promise<Json> {
  const identities = await db.query<IdentityRow>(
    'select * from auth.identities where user_id = $1 order by created_at',
    [user.id],
  );
  const factors = await listFactors(db, user.id);
  const optional = omitEmpty({
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(user.confirmed_at),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change ?? undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    new_phone: user.phone_change ?? undefined,
    phone_change_sent_at: iso(user.phone_change_sent_at),
    reauthentication_sent_at: iso(user.reauthentication_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
  });
  return {
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    phone: user.phone ?? '',
    ...optional,
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.rows.map(identityJson),
    ...(factors.length ? { factors } : {}),
    created_at: iso(user.created_at),
    updated_at: iso(user.updated_at),
    is_anonymous: user.is_anonymous,
  };
}

export const hashPassword = (password: string) => bcrypt.hash(password, 10);

export async function passwordMatches(user: UserRow, password: string): Promise<boolean> {
  if (!user.encrypted_password) return false;
  return bcrypt.compare(password, user.encrypted_password);
}

export interface NewUser {
  id?: string;
  email?: string;
  phone?: string;
  password?: string;
  passwordHash?: string;
  emailConfirmed?: boolean;
  phoneConfirmed?: boolean;
  userMetadata?: Json;
  appMetadata?: Json;
  role?: string;
  isAnonymous?: boolean;
  bannedUntil?: Date | null;
  /**
   * `/signup` (and the OTP and magic-link sign-ups that go through it) copies the identity's
   * claims into user_metadata; the admin API and invitations keep exactly the metadata given.
   */
  identityInMetadata?: boolean;
}

/**
 * Inserts a user and, for an email or phone user, its identity (`sub`, `email`,
 * `email_verified`, `phone_verified`). Those claims land in user_metadata only for a sign-up
 * (`identityInMetadata`); a confirmed admin-made user gets `email_verified: true` there, as
 * GoTrue's `user.Confirm` merges it.
 */
export async function createUser(db: Db, input: NewUser): Promise<UserRow> {
  const id = input.id ?? randomUUID();
  const provider = input.email ? 'email' : input.phone ? 'phone' : null;
  const appMetadata = provider ? { provider, providers: [provider], ...input.appMetadata } : { ...input.appMetadata };
  const identityData: Json | null = provider
    ? {
        sub: id,
        ...(input.email ? { email: input.email } : {}),
        ...(input.phone ? { phone: input.phone } : {}),
        email_verified: Boolean(input.email && input.emailConfirmed),
        phone_verified: Boolean(input.phone && input.phoneConfirmed),
      }
    : null;
  const userMetadata = input.identityInMetadata
    ? { ...input.userMetadata, ...identityData }
    : { ...input.userMetadata, ...(input.email && input.emailConfirmed ? { email_verified: true } : {}) };
  const encrypted = input.passwordHash ?? (input.password ? await hashPassword(input.password) : '');
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, email_confirmed_at,
       phone_confirmed_at, raw_app_meta_data, raw_user_meta_data, is_anonymous, banned_until, created_at, updated_at,
       confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
       phone_change, phone_change_token, reauthentication_token, is_super_admin)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3, $4, $5,
       case when $6 then now() end, case when $7 then now() end, $8, $9, $10, $11, now(), now(),
       '', '', '', '', '', '', '', '', false)
     returning *`,
    [
      id,
      input.role ?? 'authenticated',
      input.email ?? null,
      input.phone ?? null,
      encrypted,
      Boolean(input.email && input.emailConfirmed),
      Boolean(input.phone && input.phoneConfirmed),
      appMetadata,
      userMetadata,
      input.isAnonymous ?? false,
      input.bannedUntil ?? null,
    ],
  );
  if (provider && identityData) {
    await db.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       values ($1::text, $1::uuid, $2, $3, now(), now())`,
      [id, identityData, provider],
    );
  }
  return rows[0];
}

/** Shallow merge as GoTrue's `UpdateUserMetaData`: a null value deletes the key. */
export function mergeMetadata(current: Json | null, changes: Json): Json {
  const merged = new Map(Object.entries(current ?? {}));
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  return Object.fromEntries(merged);
}

/** `user.Confirm`: marks the email confirmed and merges `email_verified: true` into user_metadata and the identity. */
export async function confirmEmail(db: Db, user: UserRow): Promise<void> {
  await db.query(
    `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), confirmation_token = '',
       raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
       updated_at = now()
     where id = $1`,
    [user.id],
  );
  await db.query(
    `update auth.identities set identity_data = jsonb_set(identity_data, '{email_verified}', 'true'), updated_at = now()
     where user_id = $1 and provider = 'email'`,
    [user.id],
  );
}

export async function assertEmailFree(db: Db, email: string, exceptUserId?: string): Promise<void> {
  const existing = await findUserByEmail(db, email);
  if (existing && existing.id !== exceptUserId) {
    throw unprocessable('email_exists', 'A user with this email address has already been registered');
  }
}

/**
 * The format GoTrue checks (`checkmail.ValidateFormat`): the HTML standard's "valid e-mail
 * address" — no dot required in the domain (`dev@localhost` passes), no `:` or `;` in the
 * local part.
 */
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** GoTrue's `validateEmail`: required, at most 255 characters, the format above; lower-cased. */
export function validateEmail(email: string): string {
  if (!email) throw badRequest('validation_failed', 'An email address is required');
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long');
  if (!EMAIL_FORMAT.test(email))
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format');
  return email.toLowerCase();
}
