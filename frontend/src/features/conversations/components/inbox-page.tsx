import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Inbox } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { formatRelative } from '@/lib/dates.ts';
import { isLanguage } from '@/lib/i18n.ts';
import { seesAllCustomers } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import {
  conversationKeys,
  INBOX_FILTERS,
  inboxOptions,
  LinkError,
  linkInboundEmail,
  setThreadStatus,
  unmatchedOptions,
  type InboxFilter,
  type InboxThread,
  type UnmatchedEmail,
} from '../api/conversations.ts';
import { useConversationsRealtime } from '../hooks/use-conversations-realtime.ts';
import styles from './conversations.module.css';
import { ThreadView } from './thread-view.tsx';

const isFilter = (value: string | null): value is InboxFilter => INBOX_FILTERS.includes(value as InboxFilter);

const customerName = (thread: InboxThread) =>
  [thread.customer?.first_name, thread.customer?.last_name].filter(Boolean).join(' ') || thread.customer?.email || '—';

/** Typing in a field is typing, not a shortcut. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** Files an unmatched email under a customer, found by their address; opens the new thread. */
function LinkForm({ mail, onLinked }: { mail: UnmatchedEmail; onLinked: (threadId: string) => void }) {
  const { t } = useTranslation('inbox');
  const queryClient = useQueryClient();
  const id = useId();
  const [email, setEmail] = useState('');
  const link = useMutation({
    mutationFn: () => linkInboundEmail(mail.id, email),
    onSuccess: onLinked,
    onSettled: () => queryClient.invalidateQueries({ queryKey: conversationKeys.all }),
  });
  const reason = link.error instanceof LinkError ? link.error.reason : 'failed';
  return (
    <form
      className={styles.linkForm}
      onSubmit={(event) => {
        event.preventDefault();
        if (email.trim()) link.mutate();
      }}
    >
      <label htmlFor={id}>{t('unmatched.linkLabel')}</label>
      <input id={id} type="email" value={email} onChange={(event) => setEmail(event.target.value)} />
      <Button type="submit" variant="secondary" pending={link.isPending} pendingLabel={t('unmatched.linking')}>
        {t('unmatched.link')}
      </Button>
      {link.isError ? (
        <p role="alert" className="form-error">
          {t(`unmatched.errors.${reason}`)}
        </p>
      ) : null}
    </form>
  );
}

/**
 * The team inbox: every conversation the member may see (RLS: an agent, their customers'),
 * filtered in the URL, live through Realtime. Keys: j / k next and previous, r reply, e close.
 */
export function InboxPage() {
  const { t } = useTranslation('inbox');
  const viewer = useViewer();
  const [searchParams, setSearchParams] = useSearchParams();
  const requested = searchParams.get('filter');
  const filter: InboxFilter = isFilter(requested) ? requested : 'open';
  const threads = useQuery({ ...inboxOptions(filter, viewer.userId), enabled: filter !== 'unmatched' });
  const unmatched = useQuery({ ...unmatchedOptions(), enabled: filter === 'unmatched' });
  const replyRef = useRef<HTMLTextAreaElement>(null);
  useConversationsRealtime(viewer.userId);

  const list = useMemo(() => threads.data ?? [], [threads.data]);
  const selectedId = searchParams.get('thread') ?? list[0]?.id ?? null;
  const update = (changes: Record<string, string | null>) =>
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );

  useEffect(() => {
    document.title = `${t('title')} · Cairn`;
  }, [t]);

  const listRef = useRef(list);
  useEffect(() => {
    listRef.current = list;
  }, [list]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const current = listRef.current;
      const at = current.findIndex((thread) => thread.id === selectedId);
      if (event.key === 'j' || event.key === 'k') {
        const next = current[Math.min(Math.max(at + (event.key === 'j' ? 1 : -1), 0), current.length - 1)];
        if (next) {
          event.preventDefault();
          update({ thread: next.id });
          document.getElementById(`inbox-thread-${next.id}`)?.focus();
        }
      } else if (event.key === 'r' && replyRef.current) {
        event.preventDefault();
        replyRef.current.focus();
      } else if (event.key === 'e' && selectedId) {
        event.preventDefault();
        void setThreadStatus(selectedId, 'closed').catch(() => undefined);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
    // update only writes the URL; the list is read through the ref.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const zone = { timeZone: viewer.timeZone, language: isLanguage(viewer.language) ? viewer.language : 'en' } as const;
  const filters = INBOX_FILTERS.filter((item) => item !== 'unmatched' || seesAllCustomers(viewer.role));
  return (
    <div className={styles.inbox}>
      <h1 className="page-title">{t('title')}</h1>
      <p className={styles.hint}>{t('keys')}</p>
      <nav aria-label={t('filters.label')} className={styles.filters}>
        {filters.map((item) => (
          <Link
            key={item}
            to={`/inbox?filter=${item}`}
            className={styles.filter}
            aria-current={item === filter ? 'page' : undefined}
          >
            {t(`filters.${item}`)}
          </Link>
        ))}
      </nav>
      {filter === 'unmatched' ? (
        unmatched.isPending ? (
          <LoadingState />
        ) : unmatched.isError ? (
          <ErrorState description={t('errors.load')} onRetry={() => void unmatched.refetch()} />
        ) : unmatched.data.length === 0 ? (
          <EmptyState icon={Inbox} title={t('unmatched.emptyTitle')} description={t('unmatched.emptyDescription')} />
        ) : (
          <ul className={styles.unmatched} aria-label={t('filters.unmatched')}>
            {unmatched.data.map((mail) => (
              <li key={mail.id}>
                <p>
                  <strong>{mail.subject || t('unmatched.noSubject')}</strong> —{' '}
                  {mail.from_address || t('unmatched.noSender')}{' '}
                  <span className="badge">
                    {t(`unmatched.${mail.state === 'malformed' ? 'malformed' : 'unmatched'}`)}
                  </span>
                </p>
                <p className={styles.body}>{(mail.body_text ?? '').slice(0, 300)}</p>
                <LinkForm mail={mail} onLinked={(threadId) => update({ filter: 'open', thread: threadId })} />
              </li>
            ))}
          </ul>
        )
      ) : threads.isPending ? (
        <LoadingState />
      ) : threads.isError ? (
        <ErrorState description={t('errors.load')} onRetry={() => void threads.refetch()} />
      ) : list.length === 0 ? (
        <EmptyState icon={Inbox} title={t('empty.title')} description={t(`empty.${filter}`)} />
      ) : (
        <div className={styles.panel}>
          <ul className={styles.threadList} aria-label={t('listLabel')}>
            {list.map((thread) => (
              <li key={thread.id}>
                <button
                  type="button"
                  id={`inbox-thread-${thread.id}`}
                  className={styles.threadButton}
                  aria-current={thread.id === selectedId ? 'true' : undefined}
                  onClick={() => update({ thread: thread.id })}
                >
                  <span className={styles.threadSubject}>
                    {thread.read_state === 'unread' ? <strong>{thread.subject}</strong> : thread.subject}
                  </span>
                  <span className={styles.threadMeta}>
                    {customerName(thread)}
                    {thread.last_message_at ? ` · ${formatRelative(thread.last_message_at, zone)}` : ''}
                  </span>
                  <span className="badge">
                    {thread.status === 'closed'
                      ? t('state.closed')
                      : thread.read_state === 'responded'
                        ? t('state.responded')
                        : t(`state.${thread.read_state}`)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div className={styles.threadPane}>
            {selectedId ? <ThreadView key={selectedId} threadId={selectedId} bodyRef={replyRef} /> : null}
          </div>
        </div>
      )}
    </div>
  );
}
