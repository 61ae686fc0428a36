import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { NewTaskDialog, type NewTaskDialogProps } from '@/components/new-task-dialog.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { useLatestNotifications, useMarkAllRead, useMarkRead, useUnreadCount } from '../hooks/use-notifications.ts';
import { NotificationList } from './notification-list.tsx';
import { DigestHourSetting } from './digest-hour-setting.tsx';
import { NotificationPreferences } from './notification-preferences.tsx';
import { RetentionSetting } from './retention-setting.tsx';
import { taskContextOf } from '../utils/task-context.ts';
import styles from './notifications.module.css';

/** /notifications: the latest 200 notifications by day, and the member's preferences. */
export function NotificationsPage() {
  const { t } = useTranslation('notifications');
  const viewer = useViewer();
  const latest = useLatestNotifications(viewer.userId, 200);
  const unread = useUnreadCount(viewer.userId);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const [taskFor, setTaskFor] = useState<NewTaskDialogProps['context']>(null);
  return (
    <div className={styles.page}>
      <section aria-labelledby="notifications-all">
        <div className={styles.panelHeader}>
          <h2 id="notifications-all">{t('page.all')}</h2>
          <Button
            variant="secondary"
            disabled={(unread.data ?? 0) === 0}
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
            }}
            onAddTask={
              can(viewer, 'editCustomers') ? (notification) => setTaskFor(taskContextOf(notification)) : undefined
            }
          />
        )}
      </section>
      <section aria-labelledby="notifications-preferences">
        <h2 id="notifications-preferences">{t('preferences.title')}</h2>
        <p>{t('preferences.description')}</p>
        <DigestHourSetting />
        <NotificationPreferences />
      </section>
      {can(viewer, 'editWorkspace') ? (
        <section aria-labelledby="notifications-retention">
          <h2 id="notifications-retention">{t('retention.title')}</h2>
          <RetentionSetting />
        </section>
      ) : null}
      <NewTaskDialog context={taskFor} onClose={() => setTaskFor(null)} />
    </div>
  );
}
