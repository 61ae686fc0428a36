import {
  Bell,
  CalendarClock,
  CheckSquare,
  Handshake,
  Mail,
  MessageSquare,
  Phone,
  ShieldCheck,
  ShoppingBag,
  Square,
  StickyNote,
  Workflow,
  type LucideIcon,
} from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { AttachmentList, type AttachedFile } from '@/components/attachment-list.tsx';
import { formatDateTime, formatRelative } from '@/lib/dates.ts';
import { formatMoney } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { TimelineEntry } from '../api/timeline.ts';
import { headingOf, text } from '../utils/timeline-heading.ts';

export interface TimelineItemProps {
  entry: TimelineEntry;
  /** Team member names by user id, to say who wrote or must do something. */
  names: ReadonlyMap<string, string>;
  /** Shown on open and done tasks when the viewer may tick them off. */
  onToggleTask?: (entry: TimelineEntry, completed: boolean) => void;
  togglePending?: boolean;
}

const ACTIVITY_ICONS: Record<string, LucideIcon> = {
  note: StickyNote,
  call: Phone,
  meeting: CalendarClock,
  email: Mail,
  task: CheckSquare,
  system: Bell,
};

const SOURCE_ICONS: Record<string, LucideIcon> = {
  order: ShoppingBag,
  message: MessageSquare,
  alert: Bell,
  consent: ShieldCheck,
  deal: Handshake,
  flow: Workflow,
};

const amount = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** One event on the customer's timeline, worded by its source and kind. */
export function TimelineItem({ entry, names, onToggleTask, togglePending }: TimelineItemProps) {
  const { t } = useTranslation('customer');
  const zone = useZoneAndLanguage();
  const Icon = (entry.source === 'activity' ? ACTIVITY_ICONS[entry.kind] : SOURCE_ICONS[entry.source]) ?? Bell;
  const actor = entry.actorId ? names.get(entry.actorId) : undefined;
  const heading = headingOf(entry, t);
  const isTask = entry.source === 'activity' && entry.kind === 'task';
  const completedAt = text(entry.data.completed_at);
  const dueAt = text(entry.data.due_at);
  const assigneeId = text(entry.data.assignee_id);
  const messageStatus = text(entry.data.status);
  const openedAt = text(entry.data.opened_at);
  const clickedAt = text(entry.data.clicked_at);
  const files = Array.isArray(entry.data.attachments) ? (entry.data.attachments as unknown as AttachedFile[]) : [];

  return (
    <li className={`timeline-item timeline-${entry.source}`}>
      <span className="timeline-icon" aria-hidden="true">
        <Icon size={16} />
      </span>
      <article className="timeline-body" aria-label={heading}>
        <header className="timeline-head">
          <span className="timeline-heading">{heading}</span>
          <time dateTime={entry.occurredAt} title={formatDateTime(entry.occurredAt, zone)} className="c360-muted">
            {formatRelative(entry.occurredAt, zone)}
          </time>
        </header>
        {entry.source === 'order' ? <OrderLine entry={entry} /> : null}
        {entry.source !== 'order' && entry.title && entry.source === 'activity' ? (
          <p className="timeline-title">{entry.title}</p>
        ) : null}
        {entry.summary ? <p className="timeline-summary">{entry.summary}</p> : null}
        {files.length ? <AttachmentList files={files} /> : null}
        <p className="timeline-meta c360-muted">
          {actor ? t('timeline.by', { name: actor }) : null}
          {isTask && dueAt ? <span>{t('timeline.due', { date: formatDateTime(dueAt, zone) })}</span> : null}
          {isTask && assigneeId ? (
            <span>{t('timeline.assignedTo', { name: names.get(assigneeId) ?? t('timeline.someone') })}</span>
          ) : null}
          {isTask && completedAt ? (
            <span className="task-done">{t('timeline.doneAt', { date: formatDateTime(completedAt, zone) })}</span>
          ) : null}
          {/* What the email provider reported back (SendGrid events), for emails and alerts. */}
          {entry.source === 'message' && messageStatus ? (
            <span>{t(`timeline.emailStatus.${messageStatus}`, { defaultValue: messageStatus })}</span>
          ) : null}
          {entry.source === 'alert' && openedAt ? (
            <span>{t('timeline.openedAt', { date: formatDateTime(openedAt, zone) })}</span>
          ) : null}
          {entry.source === 'alert' && clickedAt ? (
            <span>{t('timeline.clickedAt', { date: formatDateTime(clickedAt, zone) })}</span>
          ) : null}
        </p>
        {isTask && onToggleTask ? (
          <button
            type="button"
            className="button button-secondary timeline-task-toggle"
            aria-pressed={completedAt !== null}
            disabled={togglePending}
            onClick={() => onToggleTask(entry, completedAt === null)}
          >
            {completedAt ? <CheckSquare aria-hidden="true" size={16} /> : <Square aria-hidden="true" size={16} />}
            {completedAt ? t('timeline.reopenTask') : t('timeline.completeTask')}
          </button>
        ) : null}
      </article>
    </li>
  );
}

function OrderLine({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation('customer');
  const { language } = useZoneAndLanguage();
  const total = amount(entry.data.total);
  const currency = text(entry.data.currency);
  const financial = text(entry.data.financial_status);
  return (
    <p className="timeline-title">
      <Link to={`/orders/${entry.refId}`}>
        {total !== null && currency ? formatMoney(total, currency, language) : t('timeline.viewOrder')}
      </Link>
      {financial ? (
        <span className="c360-muted"> · {t(`financial.${financial}`, { defaultValue: financial })}</span>
      ) : null}
      {text(entry.data.cancelled_at) ? <span className="c360-muted"> · {t('timeline.cancelled')}</span> : null}
    </p>
  );
}
