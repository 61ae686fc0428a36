/**
 * invite-member's logic: an active admin invites someone to the team by email with a role.
 *
 * The auth server (service role) creates the account and sends the invitation; the team row is
 * then written through the ADMIN'S OWN client, so the "admins add team members" policy — the
 * same rule the rest of the app obeys — has the last word. Free of HTTP and Supabase: ports are
 * bound in index.ts, and `deno test` drives this with fakes.
 *
 * Idempotent by address: inviting a pending invitee again re-sends the email (and applies the
 * role and name given now); inviting someone who already signed in is refused with a clear code.
 *
 * Never reuses an account the invitation did not make (security review H-2): the auth server's
 * invite would adopt an existing unconfirmed account — and the password an attacker gave it when
 * signing up first. The database says what an invitation to the address would meet
 * (`team_invitation_check`) before anything is sent, and such an address is refused. Refused,
 * not deleted and made afresh: the account may be a shopper's real one, and an admin decides.
 * The team row is written pending; it grants its role only once the invitee has accepted.
 */
import { z } from 'zod';

export const TEAM_ROLES = ['admin', 'manager', 'agent', 'readonly'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const inviteRequestSchema = z
  .object({
    // The auth server stores addresses in lower case; comparing them the same way here.
    email: z.string().trim().toLowerCase().pipe(z.email('an email address such as ana@example.com').max(320)),
    full_name: z.string().trim().min(1, 'a name is required').max(200, 'at most 200 characters'),
    role: z.enum(TEAM_ROLES, `one of ${TEAM_ROLES.join(', ')}`),
    /** Where the invitation link should land; only its origin is used (see acceptInviteUrl). */
    redirect_to: z.url().optional(),
  })
  .strict();

export type InviteRequest = z.infer<typeof inviteRequestSchema>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The app's accept-invite page for this request, or null when no allowed app origin is known.
 * The origin comes from `redirect_to`, else the browser's Origin header, and must be SITE_URL's,
 * one listed in ALLOWED_APP_ORIGINS, or a loopback address (a developer's own machine, as the
 * auth server itself allows) — so an invitation can never point people at someone else's site.
 */
export function acceptInviteUrl(
  requested: { redirectTo?: string; origin?: string | null },
  allowed: { siteUrl?: string; extraOrigins?: string },
): string | null {
  const originOf = (value: string | null | undefined): string | null => {
    if (!value) return null;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
    } catch {
      return null;
    }
  };
  const allowList = new Set(
    [allowed.siteUrl, ...(allowed.extraOrigins ?? '').split(',')]
      .map((entry) => originOf(entry?.trim()))
      .filter((origin): origin is string => origin !== null),
  );
  const isAllowed = (origin: string) => allowList.has(origin) || LOOPBACK_HOSTS.has(new URL(origin).hostname);
  const wanted = originOf(requested.redirectTo) ?? originOf(requested.origin);
  if (wanted && isAllowed(wanted)) return `${wanted}/accept-invite`;
  // An explicit redirect we may not honour is an error, not something to silently replace.
  if (requested.redirectTo) return null;
  const site = originOf(allowed.siteUrl);
  return site ? `${site}/accept-invite` : null;
}

export interface InvitedUser {
  id: string;
  invited_at?: string | null;
  email_confirmed_at?: string | null;
  last_sign_in_at?: string | null;
}

export type AuthInviteResult = { ok: true; user: InvitedUser } | { ok: false; reason: 'email_exists' | 'rate_limited' };

export interface ExistingMember {
  user_id: string;
  active: boolean;
}

/** What an invitation to an address would meet, as the database answers it (team_invitation_check). */
export type AddressState = 'new' | 'pending' | 'member' | 'account_exists' | 'not_invitable';

export interface InvitePorts {
  /** A team row with this address, read as the caller. */
  memberByEmail(email: string): Promise<ExistingMember | null>;
  /** The account behind the address, asked of the database as the caller (admins only). */
  addressState(email: string): Promise<AddressState>;
  /** The auth admin invite: creates the account (or reuses a pending one) and sends the email. */
  sendInvite(email: string, options: { redirectTo: string; fullName: string }): Promise<AuthInviteResult>;
  /** Creates or updates the team row as the caller (RLS: admins add and change members). */
  saveMember(member: { user_id: string; email: string; full_name: string; role: TeamRole }): Promise<void>;
  /** Removes an account the invitation just created when its team row could not be written. */
  discardAccount(userId: string): Promise<void>;
}

export type InviteOutcome =
  | { ok: true; status: 'invited' | 'resent'; user_id: string; email: string; role: TeamRole }
  | { ok: false; status: number; code: string; message: string };

export type Refusal = Extract<InviteOutcome, { ok: false }>;

const refuse = (status: number, code: string, message: string): Refusal => ({ ok: false, status, code, message });

/**
 * The refusal for a caller who is not an active admin, or null. `caller` is their own team row
 * as THEY read it (RLS shows an inactive member or a non-member nothing), so the database's rule
 * decides. Checked before the body is read: only admins learn what a valid invitation looks like.
 */
export function refuseUnlessAdmin(caller: { role: string; active: boolean } | null): Refusal | null {
  return caller?.active && caller.role === 'admin'
    ? null
    : refuse(403, 'forbidden', 'Only an active admin can invite team members');
}

/** Invites on behalf of a caller refuseUnlessAdmin has let through. */
export async function inviteMember(
  request: InviteRequest,
  redirectTo: string,
  ports: InvitePorts,
): Promise<InviteOutcome> {
  const existing = await ports.memberByEmail(request.email);
  if ((await ports.addressState(request.email)) === 'not_invitable') {
    return refuse(
      409,
      'account_not_invitable',
      `${request.email} already has an account that was not created by a Cairn invitation, so an invitation cannot be sent to it: ask the person for another address, or remove that account first`,
    );
  }
  const sent = await ports.sendInvite(request.email, { redirectTo, fullName: request.full_name });
  if (!sent.ok && sent.reason === 'rate_limited') {
    return refuse(429, 'rate_limited', 'Too many invitations were sent just now; try again in a minute');
  }
  if (!sent.ok) {
    // The address has a confirmed account: a colleague who already joined, or someone who is not
    // staff (a shopper's portal login). Neither is something an invitation can change.
    return existing
      ? refuse(
          409,
          'already_member',
          existing.active
            ? `${request.email} is already on the team`
            : `${request.email} is on the team but deactivated: reactivate them instead`,
        )
      : refuse(409, 'email_in_use', `${request.email} already has an account that is not on the team`);
  }

  try {
    await ports.saveMember({
      user_id: sent.user.id,
      email: request.email,
      full_name: request.full_name,
      role: request.role,
    });
  } catch (error) {
    // Without its team row the account would be a login to nothing; drop it if nobody ever used
    // it, so that the admin can simply try again.
    const unused = !existing && !sent.user.email_confirmed_at && !sent.user.last_sign_in_at;
    if (unused) await ports.discardAccount(sent.user.id);
    throw error;
  }
  return {
    ok: true,
    status: existing ? 'resent' : 'invited',
    user_id: sent.user.id,
    email: request.email,
    role: request.role,
  };
}
