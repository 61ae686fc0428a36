import { describe, expect, it } from 'vitest';

import { emptyActivity } from '../schemas/activity.ts';
import { activityRow } from './activities.ts';

describe('activityRow', () => {
  it("records a meeting's time in the viewer's zone, its length and who was there", () => {
    const row = activityRow(
      'c1',
      {
        ...emptyActivity('meeting'),
        subject: 'Fitting',
        dueAt: '2026-12-10T15:30',
        durationMinutes: '45',
        attendees: 'Lena Vogt, , maria@shop.test ',
      },
      'Europe/Berlin',
    );
    expect(row).toMatchObject({
      kind: 'meeting',
      subject: 'Fitting',
      due_at: '2026-12-10T14:30:00.000Z',
      direction: null,
      metadata: { duration_minutes: 45, attendees: ['Lena Vogt', 'maria@shop.test'] },
      assignee_id: null,
    });
  });

  it('gives a task its type, and no other kind one', () => {
    const task = activityRow('c1', { ...emptyActivity('task'), subject: 'Call back', taskType: 'call' }, 'UTC');
    expect(task).toMatchObject({ kind: 'task', task_type: 'call' });
    const note = activityRow('c1', { ...emptyActivity('note'), body: 'Sizes', taskType: 'call' }, 'UTC');
    expect(note.task_type).toBeNull();
  });

  it('keeps the direction of a logged email and gives it no time or metadata', () => {
    const row = activityRow(
      'c1',
      { ...emptyActivity('email'), subject: 'Re: size', direction: 'inbound', dueAt: '2026-12-10T15:30' },
      'America/New_York',
    );
    expect(row).toMatchObject({ kind: 'email', direction: 'inbound', due_at: null, metadata: undefined });
  });

  it('lists the files uploaded with a note, and leaves the column alone when there are none', () => {
    const file = { path: 'c1/notes/u/sizes.pdf', name: 'sizes.pdf', size: 4, mime: 'application/pdf' };
    const row = activityRow('c1', { ...emptyActivity('note'), body: 'Sizes' }, 'UTC', [
      { ...file, extra: 1 } as typeof file,
    ]);
    expect(row.attachments).toEqual([file]);
    expect(activityRow('c1', { ...emptyActivity('note'), body: 'Sizes' }, 'UTC')).not.toHaveProperty('attachments');
  });
});
