import { z } from 'zod/mini';

import { TASK_TYPES } from '@/api/tasks.ts';

export const ACTIVITY_KINDS = ['note', 'call', 'meeting', 'email', 'task'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/**
 * One schema for the add-activity dialog and the insert (style.md). Flat rather than a union so
 * one form can switch kind without losing what was typed; the per-kind rules mirror the
 * database's checks (a subject or body, ≤ 300 / 20 000 characters, due dates only on tasks).
 * Messages are translation keys.
 */
export const activitySchema = z
  .object({
    kind: z.enum(ACTIVITY_KINDS),
    subject: z.string().check(z.trim(), z.maxLength(300, 'customer:validation.subjectTooLong')),
    body: z.string().check(z.trim(), z.maxLength(20_000, 'customer:validation.bodyTooLong')),
    direction: z.enum(['inbound', 'outbound']),
    /** `YYYY-MM-DDTHH:mm` from a datetime-local input, read in the viewer's time zone. */
    dueAt: z.string(),
    assigneeId: z.string(),
    /** Tasks: what kind of work (the tasks page's types); ignored on the other kinds. */
    taskType: z.enum(TASK_TYPES),
    /** Meetings: how long, in minutes (empty: not said), and who was there, comma-separated. */
    durationMinutes: z.string(),
    attendees: z.string().check(z.maxLength(1000, 'customer:validation.attendeesTooLong')),
  })
  .check(
    z.superRefine((value, context) => {
      if (value.kind === 'note' && value.body === '') {
        context.addIssue({ code: 'custom', path: ['body'], message: 'customer:validation.noteRequired' });
      }
      if (value.kind === 'call' && value.body === '' && value.subject === '') {
        context.addIssue({ code: 'custom', path: ['body'], message: 'customer:validation.callRequired' });
      }
      if (value.kind === 'task' && value.subject === '') {
        context.addIssue({ code: 'custom', path: ['subject'], message: 'customer:validation.taskTitleRequired' });
      }
      if (value.kind === 'task' && value.dueAt !== '' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.dueAt)) {
        context.addIssue({ code: 'custom', path: ['dueAt'], message: 'customer:validation.dueAtInvalid' });
      }
      if (value.kind === 'meeting' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.dueAt)) {
        context.addIssue({ code: 'custom', path: ['dueAt'], message: 'customer:validation.meetingWhenRequired' });
      }
      if (value.kind === 'meeting' && value.durationMinutes !== '' && !/^\d{1,4}$/.test(value.durationMinutes)) {
        context.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'customer:validation.durationInvalid' });
      }
      if ((value.kind === 'meeting' || value.kind === 'email') && value.subject === '' && value.body === '') {
        context.addIssue({ code: 'custom', path: ['body'], message: 'customer:validation.callRequired' });
      }
    }),
  );

export type ActivityInput = z.infer<typeof activitySchema>;

export const emptyActivity = (kind: ActivityKind, assigneeId = ''): ActivityInput => ({
  kind,
  subject: '',
  body: '',
  direction: 'outbound',
  dueAt: '',
  assigneeId,
  taskType: 'to_do',
  durationMinutes: '',
  attendees: '',
});
