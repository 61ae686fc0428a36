/** The admin API (service_role): users, invites, generated links, a user's factors, the audit log. */
import { randomBytes } from 'node:crypto';
import { inTransaction } from '../lib/db.ts';
import { badRequest, notFound, unprocessable } from './errors.ts';
import { issueLinkToken, sendEmailChange, sendLinkMail } from './flows.ts';
import { actionLink, isRedirectValid, referrer } from './mailer.ts';
import {
  bool,
  isUuid,
  obj,
  optionalStr,
  requireAdmin,
  str,
  type AuthRequest,
  type Json,
  type Reply,
} from './request.ts';
import {
  assertEmailFree,
  confirmEmail,
  createUser,
  factorJson,
  findUserByEmail,
  findUserById,
  hashPassword,
  isConfirmed,
  listFactors,
  mergeMetadata,
  userJson,
  validateEmail,
  type Db,
  type UserRow,
} from './users.ts';
import { checkPassword } from './account.ts';

/** Go's `time.ParseDuration` for the units ban_duration uses in practice; "none" lifts a ban. */
function banUntil(duration: string): Date | null | undefined {
  if (!duration) return undefined;
  if (duration === 'none') return null;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (!parts.length || parts.map((part) => part[0]).join('') !== duration)
    throw badRequest(
      'validation_failed',
      'invalid format for ban duration: time: invalid duration ' + JSON.stringify(duration),
    );
  const ms = parts.reduce((total, part) => total + Number(part[1]) * units[part[2]], 0);
  return new Date(Date.now() + ms);
}

async function loadUser(request: AuthRequest): Promise<UserRow> {
  await requireAdmin(request);
  const id = request.params.user_id;
  if (!isUuid(id)) throw notFound('validation_failed', 'user_id must be an UUID');
  const user = await findUserById(request.ctx.db, id);
  if (!user) throw notFound('user_not_found', 'User not found');
  return user;
}

/** `paginate`: `page` and `per_page` are read with Go's `strconv.ParseUint`, so a sign or a letter is a 400. */
function paginationParam(value: string | null, fallback: number): number {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value))
    throw badRequest(
      'validation_failed',
      `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`,
    );
  return Number(value);
}

export async function listUsers(request: AuthRequest): Promise<Reply> {
  await requireAdmin(request);
  const query = request.url.searchParams;
  const page = Math.max(1, paginationParam(query.get('page'), 1));
  const perPage = Math.max(1, paginationParam(query.get('per_page'), 50));
  const filter = query.get('filter') ?? '';
  const where = `aud = 'authenticated'${filter ? ` and (email ilike $3 or raw_user_meta_data->>'full_name' ilike $3)` : ''}`;
  const params: unknown[] = [perPage, (page - 1) * perPage, ...(filter ? [`%${filter}%`] : [])];
  const { rows } = await request.ctx.db.query<UserRow>(
    `select * from auth.users where ${where} order by created_at desc, id limit $1 offset $2`,
    params,
  );
  const count = await request.ctx.db.query<{ n: string }>(
    `select count(*)::text as n from auth.users where ${where.replaceAll('$3', '$1')}`,
    filter ? [`%${filter}%`] : [],
  );
  const total = Number(count.rows[0].n);
  const users = await Promise.all(rows.map((row) => userJson(request.ctx.db, row)));
  return {
    status: 200,
    body: { users, aud: 'authenticated' },
    headers: { Link: paginationLink(request.url, page, perPage, total), 'X-Total-Count': String(total) },
  };
}

/** `addPaginationHeaders`: the request URL with `page` replaced, keys sorted as Go's url.Values encodes them. */
function paginationLink(url: URL, page: number, perPage: number, total: number): string {
  const totalPages = Math.ceil(total / perPage);
  const withPage = (value: number) => {
    const query = new URLSearchParams(url.searchParams);
    query.set('page', String(value));
    query.sort();
    return `<${url.pathname}?${query.toString()}>`;
  };
  const next = totalPages > page ? `${withPage(page + 1)}; rel="next", ` : '';
  return `${next}${withPage(totalPages)}; rel="last"`;
}

export async function createAdminUser(request: AuthRequest): Promise<Reply> {
  await requireAdmin(request);
  const body = await request.json();
  const email = str(body, 'email') ? validateEmail(str(body, 'email')) : '';
  const phone = str(body, 'phone');
  const password = optionalStr(body, 'password');
  const passwordHash = str(body, 'password_hash');
  const id = str(body, 'id');
  if (!email && !phone) throw badRequest('validation_failed', 'Cannot create a user without either an email or phone');
  if (phone) throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
  if (id && !isUuid(id)) throw badRequest('validation_failed', 'Invalid user ID');
  if (password !== undefined && passwordHash)
    throw badRequest('validation_failed', 'Only a password or a password hash should be provided');
  // GoTrue's adminUserCreate checks no password strength (adminUserUpdate does).
  if (passwordHash && !/^\$2[aby]\$\d\d\$/.test(passwordHash))
    throw badRequest('validation_failed', 'Invalid password hash format');
  const user = await inTransaction(request.ctx.db, async (db) => {
    await assertEmailFree(db, email);
    if (id && (await findUserById(db, id))) throw unprocessable('user_already_exists', 'User already registered');
    return createUser(db, {
      id: id || undefined,
      email,
      password,
      passwordHash: passwordHash || undefined,
      emailConfirmed: bool(body, 'email_confirm'),
      userMetadata: obj(body, 'user_metadata') ?? {},
      appMetadata: obj(body, 'app_metadata') ?? {},
      role: str(body, 'role') || undefined,
      bannedUntil: banUntil(str(body, 'ban_duration')) ?? null,
    });
  });
  return { status: 200, body: await userJson(request.ctx.db, user) };
}

export async function getAdminUser(request: AuthRequest): Promise<Reply> {
  return { status: 200, body: await userJson(request.ctx.db, await loadUser(request)) };
}

export async function updateAdminUser(request: AuthRequest): Promise<Reply> {
  const user = await loadUser(request);
  const body = await request.json();
  const email = str(body, 'email') ? validateEmail(str(body, 'email')) : '';
  const password = optionalStr(body, 'password');
  if (str(body, 'phone')) throw badRequest('phone_provider_disabled', 'Phone logins are disabled');
  if (password !== undefined) checkPassword(request, password);
  const banned = banUntil(str(body, 'ban_duration'));
  await inTransaction(request.ctx.db, async (db) => {
    if (email && email !== user.email) {
      await assertEmailFree(db, email, user.id);
      await setEmail(db, user, email, bool(body, 'email_confirm'));
    } else if (bool(body, 'email_confirm') && !user.email_confirmed_at) {
      await confirmEmail(db, user);
    }
    if (password !== undefined)
      await db.query('update auth.users set encrypted_password = $2 where id = $1', [
        user.id,
        await hashPassword(password),
      ]);
    const passwordHash = str(body, 'password_hash');
    if (passwordHash)
      await db.query('update auth.users set encrypted_password = $2 where id = $1', [user.id, passwordHash]);
    const userMetadata = obj(body, 'user_metadata');
    if (userMetadata)
      await db.query('update auth.users set raw_user_meta_data = $2 where id = $1', [
        user.id,
        mergeMetadata(user.raw_user_meta_data, userMetadata),
      ]);
    const appMetadata = obj(body, 'app_metadata');
    if (appMetadata)
      await db.query('update auth.users set raw_app_meta_data = $2 where id = $1', [
        user.id,
        mergeMetadata(user.raw_app_meta_data, appMetadata),
      ]);
    const role = str(body, 'role');
    if (role) await db.query('update auth.users set role = $2 where id = $1', [user.id, role]);
    if (banned !== undefined) {
      await db.query('update auth.users set banned_until = $2 where id = $1', [user.id, banned]);
      // A ban ends the user's sessions, as GoTrue's adminUserUpdate does.
      if (banned) await db.query('delete from auth.sessions where user_id = $1', [user.id]);
    }
    await db.query('update auth.users set updated_at = now() where id = $1', [user.id]);
  });
  return {
    status: 200,
    body: await userJson(request.ctx.db, (await findUserById(request.ctx.db, user.id)) as UserRow),
  };
}

/** An admin sets the address directly; the email identity follows it. */
async function setEmail(db: Db, user: UserRow, email: string, confirmed: boolean): Promise<void> {
  await db.query(
    `update auth.users set email = $2::text, email_confirmed_at = case when $3::boolean then now() else email_confirmed_at end,
       raw_user_meta_data = case when raw_user_meta_data ? 'email' then jsonb_set(raw_user_meta_data, '{email}', to_jsonb($2::text)) else raw_user_meta_data end
     where id = $1`,
    [user.id, email, confirmed],
  );
  const { rowCount } = await db.query(
    `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text, 'email_verified', $3::boolean), updated_at = now()
     where user_id = $1 and provider = 'email'`,
    [user.id, email, confirmed],
  );
  if (!rowCount) {
    await db.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       values ($1::text, $1::uuid, jsonb_build_object('sub', $1::text, 'email', $2::text, 'email_verified', $3::boolean, 'phone_verified', false), 'email', now(), now())`,
      [user.id, email, confirmed],
    );
  }
  if (user.is_anonymous && confirmed)
    await db.query('update auth.users set is_anonymous = false where id = $1', [user.id]);
}

export async function deleteAdminUser(request: AuthRequest): Promise<Reply> {
  const user = await loadUser(request);
  const body =
    request.req.headers['content-length'] || request.req.headers['transfer-encoding'] ? await request.json() : {};
  if (bool(body, 'should_soft_delete')) {
    // Soft delete as GoTrue: identifying data obfuscated, sessions and identities gone, row kept.
    const obfuscated = randomBytes(16).toString('hex');
    await inTransaction(request.ctx.db, async (db) => {
      await db.query(
        `update auth.users set deleted_at = now(), email = null, phone = null, encrypted_password = '',
           confirmation_token = '', recovery_token = '', email_change = '', email_change_token_new = '', email_change_token_current = '',
           raw_user_meta_data = '{}'::jsonb, raw_app_meta_data = '{}'::jsonb, phone_change = '', phone_change_token = '',
           reauthentication_token = '', updated_at = now(), aud = $2
         where id = $1`,
        [user.id, `deleted-${obfuscated}`],
      );
      await db.query('delete from auth.identities where user_id = $1', [user.id]);
      await db.query('delete from auth.sessions where user_id = $1', [user.id]);
      await db.query('delete from auth.mfa_factors where user_id = $1', [user.id]);
    });
  } else {
    await request.ctx.db.query('delete from auth.users where id = $1', [user.id]);
  }
  return { status: 200, body: {} };
}

export async function invite(request: AuthRequest): Promise<Reply> {
  await requireAdmin(request);
  const body = await request.json();
  const email = validateEmail(str(body, 'email'));
  const redirectTo = referrer(request.ctx.settings.auth, request.req, request.url, str(body, 'redirect_to'));
  const user = await inTransaction(request.ctx.db, async (db) => {
    let existing = await findUserByEmail(db, email);
    if (existing && isConfirmed(existing))
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    existing ??= await createUser(db, { email, userMetadata: obj(body, 'data') ?? {} });
    await sendLinkMail(request.ctx, db, existing, 'invite', redirectTo);
    return (await findUserById(db, existing.id)) as UserRow;
  });
  return { status: 200, body: await userJson(request.ctx.db, user) };
}

const LINK_TYPES = new Set(['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new']);

/** `adminGenerateLink`: the link (and OTP) an email would carry, without sending one. */
export async function generateLink(request: AuthRequest): Promise<Reply> {
  await requireAdmin(request);
  const body = await request.json();
  let type = str(body, 'type');
  const email = validateEmail(str(body, 'email'));
  const requested = str(body, 'redirect_to');
  const redirectTo = isRedirectValid(request.ctx.settings.auth, requested)
    ? requested
    : referrer(request.ctx.settings.auth, request.req, request.url);
  if (!LINK_TYPES.has(type)) throw badRequest('validation_failed', `Invalid email action link type requested: ${type}`);
  const result = await inTransaction(request.ctx.db, async (db) => {
    let user = await findUserByEmail(db, email);
    if (!user) {
      if (type === 'magiclink') type = 'signup';
      if (type === 'recovery' || type.startsWith('email_change'))
        throw notFound('user_not_found', 'User with this email not found');
    }
    const data = obj(body, 'data') ?? {};
    if (type === 'signup') {
      if (user && isConfirmed(user))
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      const password = str(body, 'password') || randomBytes(32).toString('base64url');
      checkPassword(request, password);
      user ??= await createUser(db, { email, password, userMetadata: data });
    } else if (type === 'invite') {
      if (user && isConfirmed(user))
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      user ??= await createUser(db, { email, userMetadata: data });
    }
    const target = user as UserRow;
    if (type === 'email_change_current' || type === 'email_change_new') {
      const newEmail = validateEmail(str(body, 'new_email'));
      await assertEmailFree(db, newEmail, target.id);
      const tokens = await sendEmailChangeSilently(request, db, target, newEmail, redirectTo);
      const current = type === 'email_change_current';
      return {
        user: target.id,
        otp: current ? tokens.otpCurrent : tokens.otpNew,
        hash: current ? tokens.hashCurrent : tokens.hashNew,
        link: actionLink(request.ctx, current ? tokens.hashCurrent : tokens.hashNew, 'email_change', redirectTo),
      };
    }
    const issued = await issueLinkToken(
      request.ctx,
      db,
      target,
      type as 'signup' | 'invite' | 'magiclink' | 'recovery',
      redirectTo,
    );
    return { user: target.id, otp: issued.otp, hash: issued.hash, link: issued.link };
  });
  const user = (await findUserById(request.ctx.db, result.user)) as UserRow;
  return {
    status: 200,
    body: {
      ...(await userJson(request.ctx.db, user)),
      action_link: result.link,
      email_otp: result.otp,
      hashed_token: result.hash,
      verification_type: type,
      redirect_to: redirectTo,
    },
  };
}

/** generate_link stores email-change tokens without mailing them (the admin delivers the link). */
async function sendEmailChangeSilently(
  request: AuthRequest,
  db: Db,
  user: UserRow,
  newEmail: string,
  redirectTo: string,
) {
  const silent = { ...request.ctx, mail: { deliver: async () => ({ id: '' }) } };
  return sendEmailChange(silent, db, user, newEmail, redirectTo, { limited: false });
}

export async function listUserFactors(request: AuthRequest): Promise<Reply> {
  const user = await loadUser(request);
  return { status: 200, body: await listFactors(request.ctx.db, user.id) };
}

export async function deleteUserFactor(request: AuthRequest): Promise<Reply> {
  const user = await loadUser(request);
  const factorId = request.params.factor_id;
  if (!isUuid(factorId)) throw notFound('validation_failed', 'factor_id must be an UUID');
  const { rows } = await request.ctx.db.query(
    'delete from auth.mfa_factors where id = $1 and user_id = $2 returning *',
    [factorId, user.id],
  );
  if (!rows[0]) throw notFound('mfa_factor_not_found', 'Factor not found');
  await request.ctx.db.query(`update auth.sessions set aal = 'aal1', factor_id = null where factor_id = $1`, [
    factorId,
  ]);
  return { status: 200, body: factorJson(rows[0]) };
}

export async function auditLog(request: AuthRequest): Promise<Reply> {
  await requireAdmin(request);
  const { rows } = await request.ctx.db.query<Json>(
    'select id, payload, created_at, ip_address from auth.audit_log_entries order by created_at desc limit 50',
  );
  return { status: 200, body: rows };
}
