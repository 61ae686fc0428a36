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

  it('keeps the direction of a logged email and gives it no time or metadata', () => {
    const row = activityRow(
      'c1',
      { ...emptyActivity('email'), subject: 'Re: size', direction: 'inbound', dueAt: '2026-12-10T15:30' },
      'America/New_York',
    );
    expect(row).toMatchObject({ kind: 'email', direction: 'inbound', due_at: null, metadata: undefined });
  });
});
