/** /tasks filters in the URL: section, whose (mine / team / one member), customer, type. */
import { TASK_TYPES, type TaskType } from '@/api/tasks.ts';

import { BUCKETS, type Bucket } from './buckets.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TaskParams {
  bucket: Bucket;
  /** 'me', 'team', or a member's id. */
  who: string;
  customer: string | null;
  type: TaskType | null;
  /** A task to show first (a reminder's link). */
  task: string | null;
}

export function readTaskParams(search: URLSearchParams): TaskParams {
  const bucket = search.get('section');
  const who = search.get('who');
  const customer = search.get('customer');
  const task = search.get('task');
  const type = search.get('type');
  return {
    bucket: BUCKETS.includes(bucket as Bucket) ? (bucket as Bucket) : 'today',
    who: who === 'team' || (who && UUID.test(who)) ? who : 'me',
    customer: customer && UUID.test(customer) ? customer : null,
    type: TASK_TYPES.includes(type as TaskType) ? (type as TaskType) : null,
    task: task && UUID.test(task) ? task : null,
  };
}

export function writeTaskParams(params: TaskParams): URLSearchParams {
  const next = new URLSearchParams();
  if (params.bucket !== 'today') next.set('section', params.bucket);
  if (params.who !== 'me') next.set('who', params.who);
  if (params.customer) next.set('customer', params.customer);
  if (params.type) next.set('type', params.type);
  if (params.task) next.set('task', params.task);
  return next;
}
