import { z } from 'zod';

import { isTimeZone } from '@/lib/dates.ts';
import { LANGUAGES } from '@/lib/i18n.ts';

/** One schema for the profile form and the update call; messages are translation keys. */
export const profileSchema = z.object({
  fullName: z
    .string()
    .trim()
    .min(1, 'settings:validation.nameRequired')
    // The database allows 200 characters (team_members_full_name_check).
    .max(200, 'settings:validation.nameTooLong'),
  language: z.enum(LANGUAGES, 'settings:validation.languageInvalid'),
  timeZone: z.string().refine(isTimeZone, 'settings:validation.timeZoneInvalid'),
});

export type ProfileInput = z.infer<typeof profileSchema>;
