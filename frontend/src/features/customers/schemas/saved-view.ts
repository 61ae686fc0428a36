import { z } from 'zod/mini';

/** A view's name as saved_views checks it: trimmed, 1–80 characters. */
export const savedViewSchema = z.object({
  name: z
    .string()
    .check(z.trim(), z.minLength(1, 'customers:views.nameRequired'), z.maxLength(80, 'customers:views.nameTooLong')),
  shared: z.boolean(),
});

export type SavedViewFormValues = z.infer<typeof savedViewSchema>;

/** saved_views_owner_name_key: one name per person, whatever its case. */
export const isDuplicateName = (error: unknown) => (error as { code?: string } | null)?.code === '23505';
