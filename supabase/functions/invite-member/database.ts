/**
 * invite-member's ports (./invite.ts's InvitePorts) and the caller check: every read and write of
 * team data goes through the caller's client, under RLS; only the auth admin API (creating the
 * account and sending the email, or removing an account the invitation just made) uses the
 * service role.
 */
import { type Db, likeLiteral } from '../_shared/supabase-clients.ts';
import type { AddressState, InvitePorts } from './invite.ts';

/** The user the caller's token belongs to, asked of the auth server; null for anything else. */
export async function signedInUserId(db: Db, authorization: string): Promise<string | null> {
  const { data } = await db.auth.getUser(authorization.replace(/^Bearer\s+/i, ''));
  return data.user?.id ?? null;
}

/** The caller's own team row as THEY read it (RLS shows an inactive member or a non-member nothing). */
export async function callerMembership(db: Db, userId: string): Promise<{ role: string; active: boolean } | null> {
  const { data, error } = await db.from('team_members').select('role, active').eq('user_id', userId).maybeSingle();
  if (error) throw error;
  return data;
}

/** `db`: the caller's client; `authAdmin`: the service-role client's auth admin API. */
export function invitePorts(db: Db, authAdmin: Db['auth']['admin']): InvitePorts {
  return {
    async memberByEmail(email) {
      // Case-insensitive (rows written before addresses were lower-cased still match), the
      // address matched literally.
      const pattern = likeLiteral(email);
      const { data, error } = await db
        .from('team_members')
        .select('user_id, active')
        .ilike('email', pattern)
        .maybeSingle();
      if (error) throw error;
      return data;
    },
    async addressState(email) {
      const { data, error } = await db.rpc('team_invitation_check', { address: email });
      if (error) throw error;
      return data as AddressState;
    },
    async sendInvite(email, { redirectTo, fullName }) {
      const { data, error } = await authAdmin.inviteUserByEmail(email, { redirectTo, data: { full_name: fullName } });
      if (error?.code === 'email_exists' || error?.status === 422) return { ok: false, reason: 'email_exists' };
      if (error?.status === 429) return { ok: false, reason: 'rate_limited' };
      if (error) throw error;
      return { ok: true, user: data.user };
    },
    async saveMember(member) {
      const { error } = await db.from('team_members').upsert(member, { onConflict: 'user_id' });
      if (error) throw error;
    },
    async discardAccount(id) {
      const { error } = await authAdmin.deleteUser(id);
      if (error) console.error('invite-member could not remove an unused account', id, error);
    },
  };
}
