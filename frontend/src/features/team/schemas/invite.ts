import { z } from 'zod';

/** One schema for the invite form and the call; messages are translation keys. */
export const inviteSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'settings:team.validation.emailRequired')
    .pipe(z.email('settings:team.validation.emailInvalid').max(320, 'settings:team.validation.emailInvalid')),
  fullName: z
    .string()
    .trim()
    .min(1, 'settings:team.validation.nameRequired')
    // team_members_full_name_check allows 200 characters.
    .max(200, 'settings:team.validation.nameTooLong'),
  role: z.enum(['admin', 'manager', 'agent', 'readonly'], 'settings:team.validation.roleRequired'),
});

export type InviteInput = z.infer<typeof inviteSchema>;
