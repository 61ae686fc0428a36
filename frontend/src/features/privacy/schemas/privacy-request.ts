import { z } from 'zod/mini';

/** A refusal's reason, as refuse_privacy_request takes it (10–2000 characters, trimmed). */
export const refuseSchema = z.object({
  reason: z
    .string()
    .check(
      z.trim(),
      z.minLength(10, 'portal:console.refuse.reasonTooShort'),
      z.maxLength(2000, 'portal:console.refuse.reasonTooLong'),
    ),
});
export type RefuseInput = z.infer<typeof refuseSchema>;

/** A reassignment: one of the admins and managers offered. */
export const reassignSchema = z.object({
  assigneeId: z.string().check(z.minLength(1, 'portal:console.reassign.assigneeMissing')),
});
export type ReassignInput = z.infer<typeof reassignSchema>;
