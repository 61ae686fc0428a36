import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { toast } from '@/stores/toast-store.ts';

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
 * since it reaches customers not on screen. The toast says how many actually changed.
 */
export function SegmentActionsBar({ segmentId, reference, can }: SegmentActionsBarProps) {
  const { t } = useTranslation('segments');
  const { t: tc } = useTranslation('customers');
  const show = useDisplay();
  const act = useSegmentAction();
  const [pending, setPending] = useState<Action | null>(null);

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
      const changed = await act.mutateAsync({ segmentId, action: pending });
      toast.success(t('listActions.done', { count: changed }));
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
