import { z } from 'zod/mini';

/** The palette offered first; any #rrggbb colour is allowed (tags_colour_is_a_hex_colour). */
export const TAG_COLOURS = ['#64748b', '#2f5d50', '#1d4ed8', '#7c3aed', '#be185d', '#b42318', '#b45309', '#15803d'];

/** One schema for the tag form and the API call; messages are translation keys. */
export const tagSchema = z.object({
  // tags_name_is_trimmed_and_short: 1 to 50 characters without surrounding spaces.
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'settings:tags.validation.nameRequired'),
      z.maxLength(50, 'settings:tags.validation.nameTooLong'),
    ),
  colour: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'settings:tags.validation.colourInvalid')),
  description: z.string().check(z.trim(), z.maxLength(500, 'settings:tags.validation.descriptionTooLong')),
});

export type TagInput = z.infer<typeof tagSchema>;
