import { Bell } from 'lucide-react';
import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import type { NewTaskDialogProps } from '@/components/new-task-dialog.tsx';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import {
  useLatestNotifications,
  useMarkAllRead,
  useMarkRead,
  useNotificationsRealtime,
  useUnreadCount,
} from '../hooks/use-notifications.ts';
import { NotificationList } from './notification-list.tsx';
import { taskContextOf } from '../utils/task-context.ts';
import styles from './notifications.module.css';

// The task form loads when it is first asked for, not with the shell every page waits for.
const NewTaskDialog = lazy(() =>
  import('@/components/new-task-dialog.tsx').then((module) => ({ default: module.NewTaskDialog })),
);

/**
 * The bell in the top bar: the unread count, live (Realtime), and a panel with the latest
 * notifications grouped by day, mark read / mark all read, each one a deep link.
 */
export function NotificationBell() {
  const { t } = useTranslation('notifications');
  const viewer = useViewer();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement | null>(null);
  const panel = useRef<HTMLDivElement | null>(null);
  useNotificationsRealtime(viewer.userId);
  const unread = useUnreadCount(viewer.userId);
  const latest = useLatestNotifications(viewer.userId, undefined, open);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const count = unread.data ?? 0;
  const [taskFor, setTaskFor] = useState<NewTaskDialogProps['context']>(null);

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!panel.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div className={styles.bellWrap}>
      <button
        ref={button}
        type="button"
        className={`icon-button ${styles.bell}`}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={
          count > 99 ? t('bell.labelUnreadMany') : count > 0 ? t('bell.labelUnread', { count }) : t('bell.label')
        }
        onClick={() => setOpen((value) => !value)}
      >
        <Bell aria-hidden="true" size={20} />
        {count > 0 ? (
          <span className={styles.badge} aria-hidden="true" data-testid="unread-count">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </button>
      <span className="visually-hidden" role="status" aria-live="polite">
        {count > 99 ? t('bell.labelUnreadMany') : count > 0 ? t('bell.labelUnread', { count }) : ''}
      </span>
      {open ? (
        <div
          ref={panel}
          id={panelId}
          className={styles.panel}
          role="region"
          aria-label={t('panel.title')}
          tabIndex={-1}
        >
          <div className={styles.panelHeader}>
            <h2 className={styles.panelTitle}>{t('panel.title')}</h2>
            <Button
              variant="secondary"
              disabled={count === 0}
              pending={markAll.isPending}
              onClick={() => markAll.mutate()}
            >
              {t('panel.markAllRead')}
            </Button>
          </div>
          {latest.isPending ? (
            <LoadingState />
          ) : latest.isError ? (
            <ErrorState description={t('loadFailed')} onRetry={() => void latest.refetch()} />
          ) : (
            <NotificationList
              notifications={latest.data}
              onOpen={(notification) => {
                if (notification.read_at === null) markRead.mutate(notification.id);
                setOpen(false);
              }}
              onAddTask={
                can(viewer, 'editCustomers')
                  ? (notification) => {
                      setOpen(false);
                      setTaskFor(taskContextOf(notification));
                    }
                  : undefined
              }
            />
          )}
          <p className={styles.panelFooter}>
            <Link to="/notifications" onClick={() => setOpen(false)}>
              {t('panel.seeAll')}
            </Link>
          </p>
        </div>
      ) : null}
      {taskFor ? (
        <Suspense fallback={null}>
          <NewTaskDialog context={taskFor} onClose={() => setTaskFor(null)} />
        </Suspense>
      ) : null}
    </div>
  );
}
