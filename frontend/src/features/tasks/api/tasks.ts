/**
 * My tasks: tasks by section (overdue, today, upcoming, done) for the viewer or, for managers,
 * the team (or one member); quick and bulk complete, reassign, snooze. RLS decides: an agent
 * sees their customers' tasks and tasks assigned to them, and changes what the rules allow.
 */
import { infiniteQueryOptions } from '@tanstack/react-query';

import type { TaskType } from '@/api/tasks.ts';
import { supabase } from '@/lib/supabase.ts';

import type { Bucket, DayBounds } from '../utils/buckets.ts';

export interface Task {
  id: string;
  subject: string | null;
  body: string | null;
  due_at: string | null;
  remind_at: string | null;
  completed_at: string | null;
  assignee_id: string | null;
  author_id: string | null;
  customer_id: string;
  task_type: TaskType | null;
  deal_id: string | null;
  thread_id: string | null;
  customer: { id: string; full_name: string | null; email: string | null; owner_id: string | null } | null;
}

export interface TaskQuery {
  /** Whose tasks: one member, or null for the whole team (managers). */
  assignee: string | null;
  customer: string | null;
  type: TaskType | null;
}

export const TASKS_PAGE = 50;

export const taskKeys = {
  all: ['tasks'] as const,
  bucket: (bucket: Bucket, query: TaskQuery, bounds: DayBounds) => ['tasks', bucket, query, bounds] as const,
};

const COLUMNS = `id, subject, body, due_at, remind_at, completed_at, assignee_id, author_id, customer_id, task_type, deal_id, thread_id,
  customer:customers(id, full_name, email, owner_id)`;

/** One page of a section: offset paging, in the section's order (ties broken by id). */
export async function fetchBucket(bucket: Bucket, query: TaskQuery, bounds: DayBounds, offset = 0): Promise<Task[]> {
  let request = supabase.from('activities').select(COLUMNS).eq('kind', 'task').not('assignee_id', 'is', null);
  if (query.assignee) request = request.eq('assignee_id', query.assignee);
  if (query.customer) request = request.eq('customer_id', query.customer);
  if (query.type) request = request.eq('task_type', query.type);
  if (bucket === 'done') {
    request = request.not('completed_at', 'is', null).order('completed_at', { ascending: false });
  } else {
    request = request.is('completed_at', null);
    if (bucket === 'overdue') request = request.lt('due_at', bounds.startOfToday);
    if (bucket === 'today') request = request.gte('due_at', bounds.startOfToday).lt('due_at', bounds.startOfTomorrow);
    if (bucket === 'upcoming') request = request.or(`due_at.gte.${bounds.startOfTomorrow},due_at.is.null`);
    request = request.order('due_at', { ascending: true, nullsFirst: false });
  }
  const { data, error } = await request.order('id').range(offset, offset + TASKS_PAGE - 1);
  if (error) throw error;
  return data as unknown as Task[];
}

/** A section, page by page ("Show more" asks for the next 50 while the last page was full). */
export const bucketOptions = (bucket: Bucket, query: TaskQuery, bounds: DayBounds) =>
  infiniteQueryOptions({
    queryKey: taskKeys.bucket(bucket, query, bounds),
    queryFn: ({ pageParam }) => fetchBucket(bucket, query, bounds, pageParam),
    initialPageParam: 0,
    getNextPageParam: (page: Task[], pages: Task[][]) =>
      page.length === TASKS_PAGE ? pages.length * TASKS_PAGE : undefined,
  });

/** Marks tasks done (or open again); returns how many the database let through. */
export async function setCompleted(ids: string[], completed: boolean): Promise<number> {
  const { data, error } = await supabase
    .from('activities')
    .update({ completed_at: completed ? new Date().toISOString() : null })
    .in('id', ids)
    .select('id');
  if (error) throw error;
  return data.length;
}

export async function reassign(id: string, assigneeId: string): Promise<void> {
  const { data, error } = await supabase
    .from('activities')
    .update({ assignee_id: assigneeId })
    .eq('id', id)
    .select('id');
  if (error) throw error;
  if (data.length === 0) throw new Error('not allowed');
}

export async function snooze(id: string, until: string): Promise<void> {
  const { error } = await supabase.rpc('snooze_task', { task_id: id, until });
  if (error) throw error;
}
