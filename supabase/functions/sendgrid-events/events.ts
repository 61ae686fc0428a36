/**
 * sendgrid-events' logic: a verified, validated Event Webhook batch as the rows
 * `public.record_email_events` takes (which de-duplicates by sg_event_id and applies them).
 */
import { customArgOf, messageIdOf, type SendGridEvent, suppresses } from '../_shared/sendgrid.ts';

export interface EmailEventRecord {
  sg_event_id: string;
  event: string;
  email: string;
  occurred_at: string;
  message_id: string | null;
  /** From the email's custom_args (alerts set it); null when absent or not an id. */
  alert_id: number | null;
  url: string | null;
  reason: string | null;
  suppress: boolean;
  payload: Record<string, unknown>;
}

export function toEventRecords(events: SendGridEvent[]): EmailEventRecord[] {
  return events.map((event) => {
    const alertId = customArgOf(event, 'alert_id');
    return {
      sg_event_id: event.sg_event_id,
      event: event.event,
      email: event.email,
      occurred_at: new Date(event.timestamp * 1000).toISOString(),
      message_id: messageIdOf(event),
      alert_id: alertId && /^[1-9]\d{0,17}$/.test(alertId) ? Number(alertId) : null,
      url: event.url ?? null,
      reason: event.reason ?? null,
      suppress: suppresses(event),
      payload: event as Record<string, unknown>,
    };
  });
}
