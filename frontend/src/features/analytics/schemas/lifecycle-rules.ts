import { z } from 'zod/mini';

const VIP = 'lifecycle.errors.vip';
const RATIO = 'lifecycle.errors.ratio';
const DAYS = 'lifecycle.errors.days';

/** The nightly stage rules as an admin edits them; the database's checks say the same. */
export const lifecycleRulesSchema = z.object({
  enabled: z.boolean(),
  vipTopPercent: z.coerce.number(VIP).check(z.gt(0, VIP), z.lte(100, VIP)),
  atRiskMinRatio: z.coerce.number(RATIO).check(z.gte(1, RATIO), z.lte(9999, RATIO)),
  churnedAfterDays: z.coerce.number(DAYS).check(z.gte(30, DAYS), z.lte(3650, DAYS), z.multipleOf(1, DAYS)),
});
export type LifecycleRulesInput = z.input<typeof lifecycleRulesSchema>;
export type LifecycleRules = z.output<typeof lifecycleRulesSchema>;
