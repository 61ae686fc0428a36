// invite-member: an admin invites a person to the team by email, with a role.
// Wiring only: environment, clients, Deno.serve → handler (request handling in ./handler.ts,
// logic in ./invite.ts, database and auth admin calls in ./database.ts).
import { callerClient, serviceClient } from '../_shared/supabase-clients.ts';
import { callerMembership, invitePorts, signedInUserId } from './database.ts';
import { handleInviteMember } from './handler.ts';

Deno.serve((req) =>
  handleInviteMember(req, {
    caller(authorization) {
      const db = callerClient(authorization);
      return {
        userId: () => signedInUserId(db, authorization),
        membership: (userId) => callerMembership(db, userId),
        // Service role only for the auth admin API (creating an account and sending the email);
        // every read and write of team data goes through the caller's client, under RLS.
        ports: () => invitePorts(db, serviceClient().auth.admin),
      };
    },
    appOrigins: { siteUrl: Deno.env.get('SITE_URL'), extraOrigins: Deno.env.get('ALLOWED_APP_ORIGINS') },
    log: (message, error) => console.error(message, error),
  }),
);
