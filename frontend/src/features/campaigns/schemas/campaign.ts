import { z } from 'zod/mini';

/**
 * A new campaign, as the form fills it and createCampaign sends it (the database checks it
 * again). Messages are keys of campaigns:form.errors.
 */
export const campaignSchema = z
  .object({
    name: z.string().check(z.trim(), z.minLength(1, 'name'), z.maxLength(120, 'name')),
    segment_id: z.uuid('audience'),
    template_id: z.uuid('template'),
    schedule: z.enum(['now', 'at', 'local_time']),
    send_at: z.optional(z.string()),
    local_date: z.optional(z.string()),
    local_time: z.optional(z.string()),
    offer_code: z.optional(z.string().check(z.trim(), z.maxLength(60, 'invalid'))),
    attribution_days: z
      .number('attribution')
      .check(z.int('attribution'), z.gte(1, 'attribution'), z.lte(90, 'attribution')),
  })
  .check(
    z.refine((value) => value.schedule !== 'at' || (!!value.send_at && Date.parse(value.send_at) > Date.now()), {
      path: ['send_at'],
      message: 'sendAt',
    }),
    z.refine((value) => value.schedule !== 'local_time' || (!!value.local_date && !!value.local_time), {
      path: ['local_date'],
      message: 'localTime',
    }),
  );

export type CampaignInput = z.infer<typeof campaignSchema>;
