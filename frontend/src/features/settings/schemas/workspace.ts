import { z } from 'zod/mini';

/** One schema for the workspace form and the update call; codes are checked by foreign keys too. */
export const workspaceSchema = z.object({
  baseCurrency: z.string().check(z.regex(/^[A-Z]{3}$/, 'settings:workspace.validation.currency')),
  defaultLanguage: z.string().check(z.regex(/^[a-z]{2}$/, 'settings:workspace.validation.language')),
});

export type WorkspaceInput = z.infer<typeof workspaceSchema>;
