import { z } from 'zod/mini';

import { RETENTION_BOUNDS, type RetentionKind } from '../api/retention.ts';

/** Whole days within the database's bounds for that kind (it checks them again: 23514). */
const days = (kind: RetentionKind) =>
  z
    .int('portal:retention.validation.number')
    .check(
      z.gte(RETENTION_BOUNDS[kind].min, 'portal:retention.validation.range'),
      z.lte(RETENTION_BOUNDS[kind].max, 'portal:retention.validation.range'),
    );

/** One schema for the retention form and the update: the periods and the erasure rule. */
export const retentionSchema = z.object({
  alert_log_retention_days: days('alert_log'),
  email_event_retention_days: days('email_events'),
  notification_retention_days: days('notifications'),
  webhook_payload_retention_days: days('webhook_deliveries'),
  audit_log_retention_days: days('audit_log'),
  export_log_retention_days: days('export_log'),
  privacy_request_retention_days: days('privacy_requests'),
  erasure_waits_for_open_orders: z.boolean(),
});

export type RetentionInput = z.infer<typeof retentionSchema>;
