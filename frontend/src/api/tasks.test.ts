import { describe, expect, it } from 'vitest';

import { newTaskRow, newTaskSchema } from './tasks.ts';

const CUSTOMER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const DEAL = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('a new task', () => {
  it("is a typed task for the customer, linked to the deal, due at the viewer's wall-clock time", () => {
    const input = newTaskSchema.parse({
      subject: '  Send the quote ',
      taskType: 'follow_up',
      dueAt: '2026-03-02T09:30',
      assigneeId: 'me',
      body: '',
    });
    expect(newTaskRow({ customerId: CUSTOMER, dealId: DEAL }, input, 'Europe/Berlin')).toEqual({
      customer_id: CUSTOMER,
      kind: 'task',
      task_type: 'follow_up',
      subject: 'Send the quote',
      body: null,
      due_at: '2026-03-02T08:30:00.000Z',
      assignee_id: 'me',
      deal_id: DEAL,
      thread_id: null,
    });
  });

  it('needs a title and an assignee; the due time may be empty but not malformed', () => {
    const result = newTaskSchema.safeParse({ subject: ' ', taskType: 'call', dueAt: 'soon', assigneeId: '', body: '' });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message).sort();
    expect(messages).toEqual(['create.assigneeRequired', 'create.dueInvalid', 'create.subjectRequired']);
    expect(
      newTaskSchema.safeParse({ subject: 'x', taskType: 'nap', dueAt: '', assigneeId: 'me', body: '' }).success,
    ).toBe(false);
  });
});
