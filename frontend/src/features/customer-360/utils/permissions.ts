import type { Database } from '@/types/database.types.ts';

export type TeamRole = Database['public']['Enums']['team_role'];

/** Who is looking at the 360: enough to hide what the database would refuse. */
export interface Viewer {
  userId: string;
  role: TeamRole;
}

/**
 * Mirrors the customers / activities / customer_tags policies: admins and managers work on every
 * customer, agents on the ones they own, readonly on none. The database still decides; this only
 * keeps the UI from offering what it would refuse.
 */
export function canWorkOn(viewer: Viewer, customer: { owner_id: string | null }): boolean {
  if (viewer.role === 'admin' || viewer.role === 'manager') return true;
  return viewer.role === 'agent' && customer.owner_id === viewer.userId;
}

/** Tags are shared; anyone who may tag a customer may also add a new tag to the list. */
export function canCreateTags(viewer: Viewer): boolean {
  return viewer.role !== 'readonly';
}

/** Authors, managers and the assignee may tick a task off (activities update policy). */
export function canCompleteTask(viewer: Viewer, task: { actorId: string | null; assigneeId: string | null }): boolean {
  if (viewer.role === 'admin' || viewer.role === 'manager') return true;
  if (viewer.role === 'readonly') return false;
  return task.actorId === viewer.userId || task.assigneeId === viewer.userId;
}
