/** A team member who can sign in to the app: an invited auth user plus their accepted team_members row. */
import { adminSql, invitedAccount, TEST_PASSWORD, uniqueEmail } from '@cairn/local-stack/testing.ts';

export interface AppUser {
  userId: string;
  email: string;
  password: string;
  fullName: string;
}

export async function createTeamMember(
  options: { role?: 'admin' | 'manager' | 'agent' | 'readonly'; fullName?: string; prefix?: string } = {},
): Promise<AppUser> {
  const email = uniqueEmail(options.prefix ?? 'e2e');
  const password = TEST_PASSWORD;
  const fullName = options.fullName ?? 'Grace Hopper';
  // Invited and accepted, as every member who can use the app is.
  const userId = await invitedAccount(email, password);
  await adminSql(
    `insert into public.team_members (user_id, email, full_name, role, accepted_at) values ($1, $2, $3, $4, now())`,
    [userId, email, fullName, options.role ?? 'agent'],
  );
  return { userId, email, password, fullName };
}
