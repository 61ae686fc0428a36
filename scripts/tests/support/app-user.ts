/** A team member who can sign in to the app: an auth user plus their team_members row. */
import { adminSql, serviceClient, uniqueEmail } from './stack.ts';

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
  const password = 'e2e-password-1';
  const fullName = options.fullName ?? 'Grace Hopper';
  const created = await serviceClient().auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error) throw created.error;
  await adminSql(`insert into public.team_members (user_id, email, full_name, role) values ($1, $2, $3, $4)`, [
    created.data.user.id,
    email,
    fullName,
    options.role ?? 'agent',
  ]);
  return { userId: created.data.user.id, email, password, fullName };
}
