import type { NewTaskDialogProps } from '@/components/new-task-dialog.tsx';

import type { AppNotification } from '../api/notifications.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idIn = (data: unknown, key: string): string | null => {
  const value = data && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' && UUID.test(value) ? value : null;
};

/**
 * The task a notification can turn into: about its customer (and its deal or conversation when
 * it names one), titled after it, a follow-up — an email for a customer's reply. Null when the
 * notification is about no customer (an integration failure, a system message).
 */
export function taskContextOf(notification: AppNotification): NewTaskDialogProps['context'] {
  const customerId = idIn(notification.data, 'customer_id');
  if (!customerId) return null;
  return {
    customerId,
    dealId: idIn(notification.data, 'deal_id'),
    threadId: idIn(notification.data, 'thread_id'),
    label: notification.title,
    subject: notification.title.slice(0, 300),
    taskType: notification.kind === 'customer_reply' || notification.kind === 'email_bounced' ? 'email' : 'follow_up',
  };
}
