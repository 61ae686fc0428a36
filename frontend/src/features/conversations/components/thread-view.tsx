import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDownLeft, ArrowUpRight } from 'lucide-react';
import { useEffect, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

import { AttachmentList, type AttachedFile } from '@/components/attachment-list.tsx';
import { NewTaskDialog, type NewTaskDialogProps } from '@/components/new-task-dialog.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { isLanguage } from '@/lib/i18n.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import {
  assignThread,
  conversationKeys,
  markThreadRead,
  setThreadStatus,
  threadOptions,
  type Message,
} from '../api/conversations.ts';
import { Compose } from './compose.tsx';
import styles from './conversations.module.css';

export interface ThreadViewProps {
  threadId: string;
  bodyRef?: Ref<HTMLTextAreaElement>;
  headingLevel?: 2 | 3;
}

function StatusBadge({ message }: { message: Message }) {
  const { t } = useTranslation('messages');
  if (message.direction === 'inbound') return null;
  const failed = message.status === 'failed' || message.status === 'bounced';
  return (
    <span className={`badge ${failed ? styles.failed : ''}`}>
      {message.status === 'failed' ? t('status.draft') : t(`status.${message.status}`)}
    </span>
  );
}

/** One conversation: its messages, oldest first, with delivery states; reply, assign, close. */
export function ThreadView({ threadId, bodyRef, headingLevel = 2 }: ThreadViewProps) {
  const { t } = useTranslation('messages');
  const { t: tTasks } = useTranslation('tasks');
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const thread = useQuery(threadOptions(threadId));
  // A task about this conversation (issue 15), linked to the thread.
  const [taskFor, setTaskFor] = useState<NewTaskDialogProps['context']>(null);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: conversationKeys.all });
  const mayWrite = thread.data ? can(viewer, 'editCustomers', { ownerId: thread.data.customer?.owner_id }) : false;
  const markRead = useMutation({ mutationFn: () => markThreadRead(threadId), onSettled: invalidate });
  const status = useMutation({
    mutationFn: (next: 'open' | 'closed') => setThreadStatus(threadId, next),
    onSettled: invalidate,
  });
  const assign = useMutation({
    mutationFn: (assignee: string | null) => assignThread(threadId, assignee),
    onSettled: invalidate,
  });

  const unread = thread.data?.unread_count ?? 0;
  const { mutate: markReadNow } = markRead;
  useEffect(() => {
    // Opening a thread with unread replies reads them (for those who may answer them).
    if (mayWrite && unread > 0) markReadNow();
  }, [mayWrite, unread, markReadNow]);

  if (thread.isPending) return <LoadingState />;
  if (thread.isError) return <ErrorState description={t('errors.loadThread')} onRetry={() => void thread.refetch()} />;
  if (!thread.data) return <p>{t('errors.noThread')}</p>;
  const data = thread.data;
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const zone = { timeZone: viewer.timeZone, language: isLanguage(viewer.language) ? viewer.language : 'en' } as const;
  return (
    <article className={styles.thread} aria-label={data.subject}>
      <header className={styles.threadHeader}>
        <Heading className={styles.threadTitle}>{data.subject}</Heading>
        <span className="badge">{data.status === 'closed' ? t('state.closed') : t(`state.${data.read_state}`)}</span>
        {mayWrite ? (
          <div className={styles.threadActions}>
            {data.assignee_id === viewer.userId ? (
              <Button variant="secondary" onClick={() => assign.mutate(null)}>
                {t('actions.unassign')}
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => assign.mutate(viewer.userId)}>
                {t('actions.assignToMe')}
              </Button>
            )}
            <Button variant="secondary" onClick={() => status.mutate(data.status === 'closed' ? 'open' : 'closed')}>
              {data.status === 'closed' ? t('actions.reopen') : t('actions.close')}
            </Button>
            <Button
              variant="secondary"
              onClick={() =>
                setTaskFor({
                  customerId: data.customer_id,
                  threadId: data.id,
                  label: data.subject,
                  subject: data.subject.slice(0, 300),
                  taskType: 'email',
                })
              }
            >
              {tTasks('create.open')}
            </Button>
          </div>
        ) : null}
      </header>
      <NewTaskDialog context={taskFor} onClose={() => setTaskFor(null)} />
      <ol className={styles.messages} aria-label={t('messagesLabel')}>
        {data.messages.map((message) => (
          <li key={message.id} className={message.direction === 'inbound' ? styles.inbound : styles.outbound}>
            <p className={styles.meta}>
              {message.direction === 'inbound' ? (
                <ArrowDownLeft aria-hidden="true" size={14} />
              ) : (
                <ArrowUpRight aria-hidden="true" size={14} />
              )}
              <span>
                {message.direction === 'inbound'
                  ? t('from', { address: message.from_address })
                  : t('to', { address: message.to_address })}
              </span>
              <time dateTime={message.created_at}>{formatDateTime(message.created_at, zone)}</time>
              <StatusBadge message={message} />
            </p>
            <div className={styles.body}>{message.body_text}</div>
            {message.status === 'failed' && message.error ? (
              <p className={styles.failedReason}>{t('notSent', { reason: message.error })}</p>
            ) : null}
            {Array.isArray(message.attachments) && message.attachments.length ? (
              <AttachmentList files={message.attachments as unknown as AttachedFile[]} />
            ) : null}
          </li>
        ))}
      </ol>
      {mayWrite && data.customer ? (
        <Compose customerId={data.customer.id} thread={{ id: data.id, subject: data.subject }} bodyRef={bodyRef} />
      ) : null}
    </article>
  );
}
