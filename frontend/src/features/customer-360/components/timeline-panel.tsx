import { History } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { NextPageButton } from '@/components/ui/next-page-button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { canCompleteTask } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import type { TimelineEntry } from '../api/timeline.ts';
import { useCompleteTask, useTeam } from '../hooks/use-activity-mutations.ts';
import { useTimeline } from '../hooks/use-timeline.ts';
import { headingOf } from '../utils/timeline-heading.ts';
import { TimelineItem } from './timeline-item.tsx';

/**
 * Everything that happened to the customer, newest first, with "Load older" by keyset. It stays
 * live through the page's realtime channel, which invalidates this query.
 */
export function TimelinePanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation('customer');
  const viewer = useViewer();
  const timeline = useTimeline(customerId);
  const team = useTeam();
  const completeTask = useCompleteTask(customerId);
  const names = useMemo(
    () => new Map((team.data ?? []).map((member) => [member.user_id, member.full_name])),
    [team.data],
  );

  const entries = useMemo(() => timeline.data?.pages.flatMap((page) => page.entries) ?? [], [timeline.data]);
  const announcement = useArrivalAnnouncement(timeline.isSuccess ? entries : null, viewer.userId, (entry) =>
    t('timeline.arrived', { heading: headingOf(entry, t) }),
  );

  if (timeline.isPending) return <Skeleton lines={5} label={t('timeline.loading')} />;
  if (timeline.isError) {
    return <ErrorState description={t('timeline.loadFailed')} onRetry={() => void timeline.refetch()} />;
  }
  // The live region is in the page from the first render: one added together with its text is
  // not announced.
  const liveRegion = (
    <p className="visually-hidden" aria-live="polite">
      {announcement}
    </p>
  );
  if (entries.length === 0) {
    return (
      <>
        {liveRegion}
        <EmptyState icon={History} title={t('timeline.emptyTitle')} description={t('timeline.emptyDescription')} />
      </>
    );
  }

  const onToggleTask = (entry: TimelineEntry, completed: boolean) =>
    completeTask.mutate(
      { activityId: entry.refId, completed },
      {
        onSuccess: () => toast.success(completed ? t('timeline.taskCompleted') : t('timeline.taskReopened')),
        onError: () => toast.error(t('timeline.taskFailed')),
      },
    );
  const mayToggle = (entry: TimelineEntry) =>
    canCompleteTask(viewer, {
      actorId: entry.actorId,
      assigneeId: typeof entry.data.assignee_id === 'string' ? entry.data.assignee_id : null,
    });

  return (
    <div className="c360-stack">
      {liveRegion}
      <ol className="timeline" aria-label={t('timeline.label')}>
        {entries.map((entry) => (
          <TimelineItem
            key={`${entry.source}:${entry.refId}`}
            entry={entry}
            names={names}
            onToggleTask={mayToggle(entry) ? onToggleTask : undefined}
            togglePending={completeTask.isPending && completeTask.variables.activityId === entry.refId}
          />
        ))}
      </ol>
      {timeline.hasNextPage ? (
        <NextPageButton query={timeline} className="timeline-more" pendingLabel={t('timeline.loadingOlder')}>
          {t('timeline.loadOlder')}
        </NextPageButton>
      ) : (
        <p className="c360-muted timeline-end">{t('timeline.end')}</p>
      )}
    </div>
  );
}

/**
 * Words for a screen reader when someone else's entry lands at the top of the feed through
 * realtime ("New on the timeline: Note"). The viewer's own writes are not announced: the toast
 * already said so. `entries` is null until the first page has loaded, which is not news.
 */
function useArrivalAnnouncement(
  entries: TimelineEntry[] | null,
  viewerId: string,
  describe: (entry: TimelineEntry) => string,
): string {
  const newest = entries?.[0];
  const newestKey = entries === null ? undefined : newest ? `${newest.source}:${newest.refId}` : null;
  const [seen, setSeen] = useState(newestKey);
  const [announcement, setAnnouncement] = useState('');
  // Adjusted while rendering (not in an effect), as React recommends for state derived from props.
  if (newestKey !== undefined && newestKey !== seen) {
    setSeen(newestKey);
    if (seen !== undefined && newest && newest.actorId !== viewerId) setAnnouncement(describe(newest));
  }
  return announcement;
}
