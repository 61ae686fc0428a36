import { Bell, ListPlus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { formatDate, formatTime } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { AppNotification } from '../api/notifications.ts';
import { groupByDay, relativeDay, safeLink } from '../utils/group.ts';
import { taskContextOf } from '../utils/task-context.ts';
import styles from './notifications.module.css';

export interface NotificationListProps {
  notifications: AppNotification[];
  onOpen: (notification: AppNotification) => void;
  /** Offered on notifications about a customer when the viewer may add tasks. */
  onAddTask?: (notification: AppNotification) => void;
  headingLevel?: 2 | 3;
}

/** Notifications grouped by day (viewer's zone), each a link to what it is about. */
export function NotificationList({ notifications, onOpen, onAddTask, headingLevel = 3 }: NotificationListProps) {
  const { t } = useTranslation('notifications');
  const zone = useZoneAndLanguage();
  if (notifications.length === 0) {
    return (
      <EmptyState
        icon={Bell}
        title={t('empty.title')}
        description={t('empty.description')}
        headingLevel={headingLevel}
      />
    );
  }
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div className={styles.groups}>
      {groupByDay(notifications, zone.timeZone).map((group) => {
        const relative = relativeDay(group.day, zone.timeZone);
        const label = relative
          ? t(`day.${relative}`)
          : formatDate(`${group.day}T12:00:00Z`, { ...zone, timeZone: 'UTC' });
        return (
          <section key={group.day} aria-label={label}>
            <Heading className={styles.day}>{label}</Heading>
            <ul className={styles.items}>
              {group.items.map((notification) => {
                const link = safeLink(notification.link);
                const unread = notification.read_at === null;
                const content = (
                  <>
                    <span className={styles.itemKind}>
                      {unread ? <span className="visually-hidden">{t('unreadMarker')} </span> : null}
                      {t(`kinds.${notification.kind}`)}
                    </span>
                    <span className={styles.itemTitle}>{notification.title}</span>
                    {notification.body ? <span className={styles.itemBody}>{notification.body}</span> : null}
                    <span className={styles.itemTime}>{formatTime(notification.created_at, zone)}</span>
                  </>
                );
                return (
                  <li key={notification.id} className={unread ? styles.unread : styles.read}>
                    {link ? (
                      <Link to={link} className={styles.itemLink} onClick={() => onOpen(notification)}>
                        {content}
                      </Link>
                    ) : (
                      <button type="button" className={styles.itemLink} onClick={() => onOpen(notification)}>
                        {content}
                      </button>
                    )}
                    {onAddTask && taskContextOf(notification) ? (
                      <button
                        type="button"
                        className={`icon-button ${styles.itemTask}`}
                        aria-label={t('addTask', { title: notification.title })}
                        title={t('addTask', { title: notification.title })}
                        onClick={() => onAddTask(notification)}
                      >
                        <ListPlus aria-hidden="true" size={16} />
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
