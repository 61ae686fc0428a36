/**
 * sendgrid-events' logic: a verified, validated Event Webhook batch as the rows
 * `public.record_email_events` takes (which de-duplicates by sg_event_id and applies them).
 */
import { customArgOf, messageIdOf, type SendGridEvent, suppresses } from './event-webhook.ts';
import { describeContentError, isContentError, storableCopy } from '../_shared/storable-json.ts';

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

export interface RecordResult {
  received: number;
  recorded: number;
}

/** One call of `public.record_email_events`; throws the database error (with its SQLSTATE `code`). */
export type RecordEvents = (records: EmailEventRecord[]) => Promise<RecordResult>;

/**
 * Records a batch in one call. When the database refuses it because of the content (an event
 * nested deeper than jsonb takes, security review L-9), no retry of that batch could ever
 * succeed: the events are recorded one by one instead, and an event that still fails is
 * recorded as a placeholder (its scalar fields, and the error in place of its payload), so one
 * bad event neither blocks the rest nor makes SendGrid retry the batch for a day. Other errors
 * (the database unreachable) are thrown: a 5xx makes SendGrid retry, which then can help.
 */
export async function recordEvents(
  records: EmailEventRecord[],
  record: RecordEvents,
  log: (message: string, fields: Record<string, unknown>) => void,
): Promise<RecordResult> {
  try {
    return await record(records);
  } catch (error) {
    if (!isContentError(error)) throw error;
    log('SendGrid batch not storable as a whole; recording its events one by one', {
      error: describeContentError(error),
    });
  }
  let recorded = 0;
  for (const one of records) {
    try {
      recorded += (await record([one])).recorded;
    } catch (error) {
      if (!isContentError(error)) throw error;
      log('SendGrid event not storable; recorded a placeholder', {
        sgEventId: one.sg_event_id,
        error: describeContentError(error),
      });
      recorded += (await record([{ ...one, payload: { not_stored: describeContentError(error) } }])).recorded;
    }
  }
  return { received: records.length, recorded };
}

/** Where a sanitised event keeps itself as sent (JSON text: escapes are plain characters). */
export const ORIGINAL_EVENT_KEY = 'cairn_original_event';

/**
 * The sanitised events of a batch, each one that had to change keeping the event as sent under
 * ORIGINAL_EVENT_KEY, so nothing SendGrid said is lost (only runs for batches that needed it).
 */
export function withOriginalEvents(sanitised: unknown, originals: unknown): unknown {
  if (!Array.isArray(sanitised) || !Array.isArray(originals)) return sanitised;
  return sanitised.map((event: unknown, index) => {
    if (event === null || typeof event !== 'object' || Array.isArray(event)) return event;
    if (!storableCopy(originals[index]).changed) return event;
    try {
      return { ...event, [ORIGINAL_EVENT_KEY]: JSON.stringify(originals[index]) };
    } catch {
      // Too deep to write out again: stored sanitised (or as a placeholder) without it.
      return event;
    }
  });
}
