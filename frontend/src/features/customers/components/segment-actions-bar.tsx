import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { toast } from '@/stores/toast-store.ts';

import { cancelSegmentAction, customerKeys, segmentActionOptions, type SegmentActionJob } from '../api/customers.ts';

import type { ReferenceData } from '../hooks/use-reference-data.ts';
import { useSegmentAction, type BulkAction as Action } from '../hooks/use-customer-mutations.ts';
import { useDisplay } from '../hooks/use-display.ts';
import type { CustomerAbilities } from '../utils/abilities.ts';

import { BulkAction } from './bulk-actions-bar.tsx';

export interface SegmentActionsBarProps {
  segmentId: string;
  reference: ReferenceData;
  can: CustomerAbilities;
}

/**
 * With a segment open in the list: tag, change the stage of or assign every member of it, on all
 * pages, done by the database (act_on_segment) under the viewer's rules — after a confirmation,
 * since it reaches customers not on screen. A large segment runs as a job in batches: its progress
 * shows here (with Cancel) until it ends. The toast says how many actually changed.
 */
export function SegmentActionsBar({ segmentId, reference, can }: SegmentActionsBarProps) {
  const { t } = useTranslation('segments');
  const { t: tc } = useTranslation('customers');
  const show = useDisplay();
  const act = useSegmentAction();
  const [pending, setPending] = useState<Action | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);

  const describe = (action: Action) => {
    switch (action.kind) {
      case 'tag':
        return t('listActions.describeTag', {
          tag: reference.tags.find((tag) => tag.id === action.tagId)?.name ?? '',
        });
      case 'stage': {
        const stage = reference.stages.find((item) => item.key === action.stage);
        return t('listActions.describeStage', { stage: show.stage(action.stage, stage?.label ?? action.stage) });
      }
      case 'assign':
        return action.ownerId === null
          ? t('listActions.describeUnassign')
          : t('listActions.describeAssign', {
              owner: reference.team.find((member) => member.user_id === action.ownerId)?.full_name ?? '',
            });
    }
  };

  const confirm = async () => {
    if (!pending) return;
    try {
      const job = await act.mutateAsync({ segmentId, action: pending });
      if (job.status === 'running') setJobId(job.id);
      else toast.success(t('listActions.done', { count: job.changed }));
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      toast.error(t('listActions.failed', { message }));
    } finally {
      setPending(null);
    }
  };

  return (
    <section className="bulk-bar" aria-label={t('listActions.label')}>
      <p className="bulk-bar-count">{t('listActions.hint')}</p>
      <BulkAction
        label={tc('bulk.addTag')}
        pending={false}
        options={reference.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
        onApply={(tagId) => setPending({ kind: 'tag', tagId })}
      />
      <BulkAction
        label={tc('bulk.changeStage')}
        pending={false}
        options={reference.stages.map((stage) => ({ value: stage.key, label: show.stage(stage.key, stage.label) }))}
        onApply={(stage) => setPending({ kind: 'stage', stage })}
      />
      {can.assign ? (
        <BulkAction
          label={tc('bulk.assign')}
          pending={false}
          options={[
            { value: 'none', label: tc('filters.unassigned') },
            ...reference.team
              .filter((member) => member.active)
              .map((member) => ({ value: member.user_id, label: member.full_name })),
          ]}
          onApply={(ownerId) => setPending({ kind: 'assign', ownerId: ownerId === 'none' ? null : ownerId })}
        />
      ) : null}
      {jobId ? <JobProgress id={jobId} onEnd={() => setJobId(null)} /> : null}
      <ConfirmDialog
        open={pending !== null}
        title={t('listActions.confirmTitle')}
        description={pending ? `${describe(pending)} ${t('listActions.confirmDescription')}` : undefined}
        confirmLabel={t('listActions.confirm')}
        pending={act.isPending}
        pendingLabel={t('listActions.working')}
        onCancel={() => setPending(null)}
        onConfirm={() => void confirm()}
      />
    </section>
  );
}

/** A running bulk action: how far it is, announced politely; the end is said once in a toast. */
function JobProgress({ id, onEnd }: { id: string; onEnd: () => void }) {
  const { t } = useTranslation('segments');
  const queryClient = useQueryClient();
  const job = useQuery(segmentActionOptions(id));
  const ended = useRef(false);
  const [cancelling, setCancelling] = useState(false);
  const status = job.data?.status;

  useEffect(() => {
    if (!job.data || job.data.status === 'running' || ended.current) return;
    ended.current = true;
    const data: SegmentActionJob = job.data;
    if (data.status === 'done') toast.success(t('listActions.done', { count: data.changed }));
    else if (data.status === 'cancelled') toast.success(t('listActions.cancelled', { count: data.changed }));
    else toast.error(t('listActions.stopped', { count: data.changed, message: data.error ?? '' }));
    void queryClient.invalidateQueries({ queryKey: customerKeys.all });
    onEnd();
  }, [job.data, onEnd, queryClient, t]);

  if (!job.data || status !== 'running') return null;
  const cancel = async () => {
    setCancelling(true);
    try {
      queryClient.setQueryData(segmentActionOptions(id).queryKey, await cancelSegmentAction(id));
    } catch (error) {
      toast.error(t('listActions.failed', { message: error instanceof Error ? error.message : '' }));
    } finally {
      setCancelling(false);
    }
  };
  return (
    <div className="bulk-bar-count">
      <label>
        <span role="status">{t('listActions.progress', { processed: job.data.processed, total: job.data.total })}</span>{' '}
        <progress max={job.data.total} value={job.data.processed} />
      </label>{' '}
      <Button variant="secondary" onClick={() => void cancel()} disabled={cancelling}>
        {t('listActions.cancel')}
      </Button>
    </div>
  );
}
