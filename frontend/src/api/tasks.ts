/**
 * Creating a task from anywhere a member meets work (issue 15): the customer 360, a pipeline
 * card (linked to the deal), an inbox conversation (linked to the thread), a notification. One
 * zod schema for the dialog and the insert; RLS and the database's checks decide (an agent adds
 * tasks to their customers only; a deal or thread link must be the same customer's: 23514).
 * Every write invalidates the tasks key root (`['tasks']`, read by My tasks).
 */
import { fromZonedTime } from 'date-fns-tz';
import { z } from 'zod/mini';

import { supabase } from '@/lib/supabase.ts';
import { Constants, type Database, type TablesInsert } from '@/types/database.types.ts';

export type TaskType = Database['public']['Enums']['task_type'];
export const TASK_TYPES = Constants.public.Enums.task_type satisfies readonly TaskType[];

/** The key root of every task list (My tasks: features/tasks). */
export const TASKS_ROOT_KEY = ['tasks'] as const;

/** Messages are translation keys of the `tasks` namespace. */
export const newTaskSchema = z.object({
  subject: z
    .string()
    .check(z.trim(), z.minLength(1, 'create.subjectRequired'), z.maxLength(300, 'create.subjectTooLong')),
  taskType: z.enum(TASK_TYPES),
  /** `YYYY-MM-DDTHH:mm` from a datetime-local input, read in the viewer's time zone; empty: none. */
  dueAt: z.string().check(z.regex(/^$|^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'create.dueInvalid')),
  assigneeId: z.string().check(z.minLength(1, 'create.assigneeRequired')),
  body: z.string().check(z.trim(), z.maxLength(20_000, 'create.bodyTooLong')),
});

export type NewTaskInput = z.infer<typeof newTaskSchema>;

/** What the task is about: always a customer, maybe one of their deals or conversations. */
export interface TaskContext {
  customerId: string;
  dealId?: string | null;
  threadId?: string | null;
}

export function newTaskRow(context: TaskContext, input: NewTaskInput, timeZone: string): TablesInsert<'activities'> {
  return {
    customer_id: context.customerId,
    kind: 'task',
    task_type: input.taskType,
    subject: input.subject,
    body: input.body || null,
    due_at: input.dueAt ? fromZonedTime(input.dueAt, timeZone).toISOString() : null,
    assignee_id: input.assigneeId,
    deal_id: context.dealId ?? null,
    thread_id: context.threadId ?? null,
  };
}

/** Adds the task as the caller (the database sets the author); returns its id. */
export async function createTask(context: TaskContext, input: NewTaskInput, timeZone: string): Promise<string> {
  const { data, error } = await supabase
    .from('activities')
    .insert(newTaskRow(context, input, timeZone))
    .select('id')
    .single();
  if (error) throw error;
  return data.id;
}
