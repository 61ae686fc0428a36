import { fromZonedTime } from 'date-fns-tz';

import { supabase } from '@/lib/supabase.ts';
import type { TablesInsert } from '@/types/database.types.ts';

import type { ActivityInput } from '../schemas/activity.ts';

/**
 * Adds a note, a call, a meeting, an email or a task as the caller (the database sets the author). `timeZone` is the
 * viewer's: the due date was typed as their wall-clock time, not the browser's.
 */
export async function createActivity(
  customerId: string,
  input: ActivityInput,
  timeZone: string,
  attachments: ActivityFile[] = [],
): Promise<void> {
  const { error } = await supabase.from('activities').insert(activityRow(customerId, input, timeZone, attachments));
  if (error) throw error;
}

/** A file already uploaded to the customer's folder of the attachments bucket. */
export interface ActivityFile {
  path: string;
  name: string;
  size: number;
  mime: string;
}

/** The activities row for a dialog's input: each field only on the kinds the database allows it. */
export function activityRow(
  customerId: string,
  input: ActivityInput,
  timeZone: string,
  attachments: ActivityFile[] = [],
): TablesInsert<'activities'> {
  return {
    customer_id: customerId,
    kind: input.kind,
    subject: input.subject || null,
    body: input.body || null,
    // The database allows these only on the kinds they belong to.
    direction: input.kind === 'call' || input.kind === 'email' ? input.direction : null,
    due_at:
      (input.kind === 'task' || input.kind === 'meeting') && input.dueAt
        ? fromZonedTime(input.dueAt, timeZone).toISOString()
        : null,
    // A meeting's length and who was there (names or addresses, as typed).
    metadata:
      input.kind === 'meeting'
        ? {
            ...(input.durationMinutes ? { duration_minutes: Number(input.durationMinutes) } : {}),
            attendees: input.attendees
              .split(',')
              .map((name) => name.trim())
              .filter(Boolean)
              .slice(0, 50),
          }
        : undefined,
    assignee_id: input.kind === 'task' && input.assigneeId ? input.assigneeId : null,
    task_type: input.kind === 'task' ? input.taskType : null,
    // Files the dialog uploaded (the database checks each path is in this customer's folder).
    ...(attachments.length
      ? { attachments: attachments.map(({ path, name, size, mime }) => ({ path, name, size, mime })) }
      : {}),
  };
}

/** Marks a task done (or open again); authors, managers and the assignee may. */
export async function setTaskCompleted(activityId: string, completed: boolean): Promise<void> {
  const { data, error } = await supabase
    .from('activities')
    .update({ completed_at: completed ? new Date().toISOString() : null })
    .eq('id', activityId)
    .select('id');
  if (error) throw error;
  // RLS turns a refused update into zero rows, not an error: say so rather than pretend.
  if (data.length === 0) throw new Error('not allowed');
}
