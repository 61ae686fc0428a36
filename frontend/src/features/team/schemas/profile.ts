import { z } from 'zod/mini';

import { isTimeZone } from '@/lib/dates.ts';
import { LANGUAGES } from '@/lib/i18n.ts';

/** One schema for the profile form and the update call; messages are translation keys. */
export const profileSchema = z.object({
  fullName: z.string().check(
    z.trim(),
    z.minLength(1, 'settings:validation.nameRequired'),
    // The database allows 200 characters (team_members_full_name_check).
    z.maxLength(200, 'settings:validation.nameTooLong'),
  ),
  language: z.enum(LANGUAGES, 'settings:validation.languageInvalid'),
  timeZone: z.string().check(z.refine(isTimeZone, 'settings:validation.timeZoneInvalid')),
});

export type ProfileInput = z.infer<typeof profileSchema>;
