import { useQuery } from '@tanstack/react-query';
import { Mail, PenSquare } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { customerThreadsOptions, recipientOptions } from '../api/conversations.ts';
import { useConversationsRealtime } from '../hooks/use-conversations-realtime.ts';
import { Compose } from './compose.tsx';
import styles from './conversations.module.css';
import { ThreadView } from './thread-view.tsx';

/** The customer 360's Messages tab: their conversations, one open, and writing a new one. */
export function MessagesPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation('messages');
  const viewer = useViewer();
  const [searchParams, setSearchParams] = useSearchParams();
  const threads = useQuery(customerThreadsOptions(customerId));
  const recipient = useQuery(recipientOptions(customerId));
  useConversationsRealtime(viewer.userId, customerId);
  const mayWrite = recipient.data ? can(viewer, 'editCustomers', { ownerId: recipient.data.owner_id }) : false;

  const requested = searchParams.get('thread');
  const selected = requested ?? threads.data?.[0]?.id ?? (mayWrite ? 'new' : null);
  const select = (id: string) =>
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params);
        next.set('thread', id);
        return next;
      },
      { replace: true },
    );

  if (threads.isPending) return <LoadingState />;
  if (threads.isError)
    return <ErrorState description={t('errors.loadThreads')} onRetry={() => void threads.refetch()} />;
  return (
    <div className={styles.panel}>
      <nav className={styles.threadList} aria-label={t('threadsLabel')}>
        {mayWrite ? (
          <Button variant="secondary" onClick={() => select('new')}>
            <PenSquare aria-hidden="true" size={16} />
            {t('newMessage')}
          </Button>
        ) : null}
        {threads.data.length === 0 ? (
          <EmptyState icon={Mail} title={t('empty.title')} description={t('empty.description')} headingLevel={3} />
        ) : (
          <ul>
            {threads.data.map((thread) => (
              <li key={thread.id}>
                <button
                  type="button"
                  className={styles.threadButton}
                  aria-current={thread.id === selected ? 'true' : undefined}
                  onClick={() => select(thread.id)}
                >
                  <span className={styles.threadSubject}>{thread.subject}</span>
                  <span className="badge">
                    {thread.status === 'closed' ? t('state.closed') : t(`state.${thread.read_state}`)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </nav>
      <div className={styles.threadPane}>
        {selected === 'new' ? (
          <section aria-label={t('newMessage')}>
            <h2 className={styles.threadTitle}>{t('newMessage')}</h2>
            <Compose customerId={customerId} onSent={(threadId) => select(threadId)} />
          </section>
        ) : selected ? (
          <ThreadView key={selected} threadId={selected} />
        ) : null}
      </div>
    </div>
  );
}
