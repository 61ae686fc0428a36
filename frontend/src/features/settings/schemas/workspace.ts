import { z } from 'zod/mini';

/** One schema for the workspace form and the update call; codes are checked by foreign keys too. */
export const workspaceSchema = z.object({
  baseCurrency: z.string().check(z.regex(/^[A-Z]{3}$/, 'settings:workspace.validation.currency')),
  defaultLanguage: z.string().check(z.regex(/^[a-z]{2}$/, 'settings:workspace.validation.language')),
  /** Two-step verification for everyone; the database enforces it (and refuses it from an aal1 session). */
  requireMfa: z.boolean(),
  /** Printed in every marketing email (campaigns refuse to send without it); empty: none yet. */
  postalAddress: z.string().check(z.trim(), z.maxLength(500, 'campaigns:postalAddress.tooLong')),
});

export type WorkspaceInput = z.infer<typeof workspaceSchema>;
