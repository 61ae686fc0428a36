import { describe, expect, it } from 'vitest';

import type { AppNotification } from '../api/notifications.ts';
import { taskContextOf } from './task-context.ts';

const CUSTOMER = '0f8fad5b-d9cb-469f-a165-70867728950e';
const THREAD = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const notification = (fields: Partial<AppNotification>): AppNotification => ({
  id: 'n1',
  kind: 'new_order',
  title: 'New order #1001',
  body: null,
  link: '/customers/x',
  data: {},
  read_at: null,
  created_at: '2026-03-02T07:00:00Z',
  ...fields,
});

describe('taskContextOf', () => {
  it('makes a follow-up about the customer, or an email task about the thread of a reply', () => {
    expect(taskContextOf(notification({ data: { customer_id: CUSTOMER } }))).toEqual({
      customerId: CUSTOMER,
      dealId: null,
      threadId: null,
      label: 'New order #1001',
      subject: 'New order #1001',
      taskType: 'follow_up',
    });
    expect(
      taskContextOf(
        notification({
          kind: 'customer_reply',
          title: 'Reply: Sizing',
          data: { customer_id: CUSTOMER, thread_id: THREAD },
        }),
      ),
    ).toMatchObject({ threadId: THREAD, taskType: 'email' });
  });

  it('offers nothing for a notification about no customer, or with a malformed id', () => {
    expect(taskContextOf(notification({ kind: 'integration_failed', data: { integration: 'ecb' } }))).toBeNull();
    expect(taskContextOf(notification({ data: { customer_id: 'not-an-id' } }))).toBeNull();
    expect(taskContextOf(notification({ data: { customer_id: CUSTOMER, deal_id: 5 } }))?.dealId).toBeNull();
  });
});
