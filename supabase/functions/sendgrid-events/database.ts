/**
 * sendgrid-events' one database call, with the service-role client: the events are about any
 * customer, and only the system records deliveries, suppressions and consent withdrawals
 * (`public.record_email_events` is granted to the service role alone).
 */
import type { Database, Db } from '../_shared/supabase-clients.ts';
import type { RecordEvents } from './events.ts';

export function emailEventRecorder(db: Db): RecordEvents {
  return async (records) => {
    const events = records as unknown as Database['public']['Functions']['record_email_events']['Args']['events'];
    const { data, error } = await db.rpc('record_email_events', { events });
    // postgrest-js reports a failure to serialise the body (a value nested deeper than the
    // runtime's stack) as a message, not as the RangeError it was.
    if (error?.message.startsWith('RangeError:')) throw new RangeError(error.message);
    if (error) throw error;
    return data[0];
  };
}
