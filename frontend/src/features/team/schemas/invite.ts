// zod/mini, the app's one zod build (eslint.config.js on main: the sign-in chunk's budget).
import { z } from 'zod/mini';

import { TEAM_ROLES } from '@/lib/permissions.ts';

/** One schema for the invite form and the call; messages are translation keys. */
export const inviteSchema = z.object({
  email: z.pipe(
    z.string().check(z.trim(), z.toLowerCase(), z.minLength(1, 'settings:team.validation.emailRequired')),
    z.email('settings:team.validation.emailInvalid').check(z.maxLength(320, 'settings:team.validation.emailInvalid')),
  ),
  fullName: z.string().check(
    z.trim(),
    z.minLength(1, 'settings:team.validation.nameRequired'),
    // team_members_full_name_check allows 200 characters.
    z.maxLength(200, 'settings:team.validation.nameTooLong'),
  ),
  role: z.enum(TEAM_ROLES, 'settings:team.validation.roleRequired'),
});

export type InviteInput = z.infer<typeof inviteSchema>;
