import { CheckCircle2 } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { TASK_TYPES, type TaskType } from '@/api/tasks.ts';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { NextPageButton } from '@/components/ui/next-page-button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { Tabs } from '@/components/ui/tabs.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { can, canCompleteTask, seesAllCustomers } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import type { Task, TaskQuery } from '../api/tasks.ts';
import { CustomerFilter } from './customer-filter.tsx';
import { useBucket, useComplete, useReassign, useSnooze, useTeamNames } from '../hooks/use-tasks.ts';
import { BUCKETS, dayBounds, snoozeTimes } from '../utils/buckets.ts';
import { readTaskParams, writeTaskParams, type TaskParams } from '../utils/params.ts';
import styles from './tasks.module.css';

/**
 * /tasks: my tasks by section (overdue, today, upcoming, done), or the team's for those who see
 * every customer; quick complete, bulk complete, reassign (where the rules allow), snooze.
 */
export function TasksScreen() {
  const { t } = useTranslation('tasks');
  const viewer = useViewer();
  const zone = useZoneAndLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readTaskParams(searchParams);
  const bounds = useMemo(() => dayBounds(zone.timeZone), [zone.timeZone]);
  const teamView = seesAllCustomers(viewer.role);
  const who = teamView ? params.who : 'me';
  const query: TaskQuery = {
    assignee: who === 'me' ? viewer.userId : who === 'team' ? null : who,
    customer: params.customer,
    type: params.type,
  };
  const tasks = useBucket(params.bucket, query, bounds);
  const team = useTeamNames();
  const complete = useComplete();
  const reassign = useReassign();
  const snooze = useSnooze();
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const update = (next: Partial<TaskParams>) => {
    setSelected(new Set());
    setSearchParams(writeTaskParams({ ...params, ...next }), { replace: true });
  };
  const nameOf = (id: string | null) =>
    (id && team.data?.find((member) => member.user_id === id)?.full_name) || t('someone');
  const assignees = (team.data ?? []).filter((member) => member.active && member.role !== 'readonly');
  const rows = useMemo(() => tasks.data?.pages.flat() ?? [], [tasks.data]);
  const completable = rows.filter((task) =>
    canCompleteTask(viewer, { actorId: task.author_id, assigneeId: task.assignee_id }),
  );
  const chosen = [...selected].filter((id) => rows.some((task) => task.id === id));

  const finish = (ids: string[], completed: boolean) =>
    complete.mutate(
      { ids, completed },
      {
        onSuccess: (count) => {
          setSelected(new Set());
          toast.success(t(completed ? 'completed' : 'reopened', { count }));
        },
        onError: () => toast.error(t('updateFailed')),
      },
    );

  const row = (task: Task) => {
    const mayComplete = canCompleteTask(viewer, { actorId: task.author_id, assigneeId: task.assignee_id });
    const mayEdit = can(viewer, 'editActivities', { authorIds: [task.author_id] });
    const title = task.subject ?? task.body ?? t('untitled');
    const soon = snoozeTimes(zone.timeZone);
    return (
      <li key={task.id} className={[styles.task, params.task === task.id ? styles.highlight : ''].join(' ')}>
        {mayComplete && params.bucket !== 'done' ? (
          <Checkbox
            label={t('select', { title })}
            hideLabel
            checked={selected.has(task.id)}
            onChange={(event) => {
              const next = new Set(selected);
              if (event.target.checked) next.add(task.id);
              else next.delete(task.id);
              setSelected(next);
            }}
          />
        ) : null}
        <div className={styles.taskMain}>
          <Link className={styles.taskTitle} to={`/customers/${task.customer_id}?tab=timeline&activity=${task.id}`}>
            {title}
          </Link>
          <span className={styles.taskMeta}>
            <span className={styles.taskType}>{t(`types.${task.task_type ?? 'to_do'}`)}</span>{' '}
            {task.customer?.full_name ?? task.customer?.email ?? '—'}
            {task.due_at ? ` · ${t('due', { date: formatDateTime(task.due_at, zone) })}` : ` · ${t('noDue')}`}
            {task.remind_at && !task.completed_at
              ? ` · ${t('snoozedUntil', { date: formatDateTime(task.remind_at, zone) })}`
              : ''}
            {who !== 'me' ? ` · ${t('assignedTo', { name: nameOf(task.assignee_id) })}` : ''}
            {task.deal_id ? (
              <>
                {' · '}
                <Link to={`/pipeline?deal=${task.deal_id}`}>{t('links.deal')}</Link>
              </>
            ) : null}
            {task.thread_id ? (
              <>
                {' · '}
                <Link to={`/customers/${task.customer_id}?thread=${task.thread_id}`}>{t('links.thread')}</Link>
              </>
            ) : null}
          </span>
        </div>
        <div className={styles.taskActions}>
          {mayComplete ? (
            <Button
              variant="secondary"
              aria-label={t(task.completed_at ? 'reopenNamed' : 'completeNamed', { title })}
              onClick={() => finish([task.id], !task.completed_at)}
            >
              {task.completed_at ? t('reopen') : t('complete')}
            </Button>
          ) : null}
          {mayComplete && !task.completed_at ? (
            <SelectField
              label={t('snooze.label', { title })}
              className={styles.compactField}
              value=""
              options={[
                { value: '', label: t('snooze.choose') },
                { value: soon.hour, label: t('snooze.hour') },
                { value: soon.tomorrowMorning, label: t('snooze.tomorrow') },
              ]}
              onChange={(event) => {
                if (!event.target.value) return;
                snooze.mutate(
                  { id: task.id, until: event.target.value },
                  {
                    onSuccess: () => toast.success(t('snooze.done')),
                    onError: (error) => toast.error(t('snooze.failed', { message: error.message })),
                  },
                );
              }}
            />
          ) : null}
          {mayEdit && !task.completed_at ? (
            <SelectField
              label={t('reassign', { title })}
              className={styles.compactField}
              value={task.assignee_id ?? ''}
              options={assignees.map((member) => ({ value: member.user_id, label: member.full_name }))}
              onChange={(event) =>
                reassign.mutate(
                  { id: task.id, assigneeId: event.target.value },
                  {
                    onSuccess: () => toast.success(t('reassigned', { name: nameOf(event.target.value) })),
                    onError: () => toast.error(t('updateFailed')),
                  },
                )
              }
            />
          ) : null}
        </div>
      </li>
    );
  };

  return (
    <>
      <div className={styles.toolbar}>
        {teamView ? (
          <SelectField
            label={t('who.label')}
            value={who}
            options={[
              { value: 'me', label: t('who.me') },
              { value: 'team', label: t('who.team') },
              ...assignees
                .filter((member) => member.user_id !== viewer.userId)
                .map((member) => ({ value: member.user_id, label: member.full_name })),
            ]}
            onChange={(event) => update({ who: event.target.value })}
          />
        ) : null}
        <CustomerFilter value={params.customer} onChange={(customer) => update({ customer })} />
        <SelectField
          label={t('typeFilter.label')}
          value={params.type ?? ''}
          options={[
            { value: '', label: t('typeFilter.all') },
            ...TASK_TYPES.map((type) => ({ value: type, label: t(`types.${type}`) })),
          ]}
          onChange={(event) => update({ type: (event.target.value || null) as TaskType | null })}
        />
      </div>
      <Tabs
        label={t('sections.label')}
        tabs={BUCKETS.map((id) => ({ id, label: t(`sections.${id}`) }))}
        selected={params.bucket}
        onSelect={(bucket) => update({ bucket })}
      >
        {tasks.isPending ? (
          <LoadingState />
        ) : tasks.isError ? (
          <ErrorState description={t('loadFailed')} onRetry={() => void tasks.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState icon={CheckCircle2} title={t(`empty.${params.bucket}`)} headingLevel={2} />
        ) : (
          <>
            {params.bucket !== 'done' && completable.length > 0 ? (
              <div className={styles.bulk} role="group" aria-label={t('bulk.label')}>
                <Checkbox
                  label={t('bulk.selectAll')}
                  checked={chosen.length > 0 && chosen.length === completable.length}
                  indeterminate={chosen.length > 0 && chosen.length < completable.length}
                  onChange={(event) =>
                    setSelected(event.target.checked ? new Set(completable.map((task) => task.id)) : new Set())
                  }
                />
                <Button
                  disabled={chosen.length === 0}
                  pending={complete.isPending}
                  onClick={() => finish(chosen, true)}
                >
                  {t('bulk.complete', { count: chosen.length })}
                </Button>
              </div>
            ) : null}
            <ul className={styles.tasks} aria-label={t(`sections.${params.bucket}`)}>
              {rows.map(row)}
            </ul>
            <NextPageButton query={tasks} className={styles.more} pendingLabel={t('loadingMore')}>
              {t('showMore')}
            </NextPageButton>
          </>
        )}
      </Tabs>
    </>
  );
}
