import { Download, X } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { SelectField, type SelectOption } from '@/components/ui/select-field.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { ReferenceData } from '../hooks/use-reference-data.ts';
import { useBulkAction, type BulkAction } from '../hooks/use-customer-mutations.ts';
import { useDisplay } from '../hooks/use-display.ts';
import type { CustomerAbilities } from '../utils/abilities.ts';

export interface BulkActionsBarProps {
  selectedIds: string[];
  reference: ReferenceData;
  can: CustomerAbilities;
  exporting: boolean;
  onExport: () => void;
  onClear: () => void;
}

/** One labelled select and an Apply button: the whole action is reachable with Tab and Enter. */
export function BulkAction({
  label,
  options,
  pending,
  onApply,
}: {
  label: string;
  options: SelectOption[];
  pending: boolean;
  onApply: (value: string) => void;
}) {
  const { t } = useTranslation('customers');
  const id = useId();
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value) onApply(value);
  };
  return (
    <form className="bulk-action" onSubmit={submit} aria-label={label}>
      <SelectField
        id={id}
        label={label}
        value={value}
        onChange={(event) => setValue(event.currentTarget.value)}
        options={[{ value: '', label: t('bulk.choose') }, ...options]}
      />
      <Button type="submit" variant="secondary" disabled={!value} pending={pending}>
        {t('bulk.apply')}
      </Button>
    </form>
  );
}

/**
 * Actions on the selected customers, offered by role: readonly members only export; agents tag
 * and change the stage of their own customers but cannot hand them to someone else.
 */
export function BulkActionsBar({ selectedIds, reference, can, exporting, onExport, onClear }: BulkActionsBarProps) {
  const { t } = useTranslation('customers');
  const show = useDisplay();
  const bulk = useBulkAction();
  const total = selectedIds.length;

  const run = async (action: BulkAction) => {
    try {
      const changed = await bulk.mutateAsync({ ids: selectedIds, action });
      if (action.kind === 'tag') toast.success(t('bulk.tagged', { count: total }));
      else if (changed < total) toast.info(t('bulk.partlyUpdated', { changed, count: total }));
      else toast.success(t('bulk.updated', { count: changed }));
    } catch {
      toast.error(t('bulk.failed'));
    }
  };

  return (
    <section className="bulk-bar" aria-label={t('bulk.label')}>
      <p className="bulk-bar-count" role="status">
        {t('bulk.selected', { count: total })}
      </p>
      {can.bulkEdit ? (
        <>
          <BulkAction
            label={t('bulk.addTag')}
            pending={bulk.isPending && bulk.variables?.action.kind === 'tag'}
            options={reference.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
            onApply={(tagId) => void run({ kind: 'tag', tagId })}
          />
          <BulkAction
            label={t('bulk.changeStage')}
            pending={bulk.isPending && bulk.variables?.action.kind === 'stage'}
            options={reference.stages.map((stage) => ({ value: stage.key, label: show.stage(stage.key, stage.label) }))}
            onApply={(stage) => void run({ kind: 'stage', stage })}
          />
        </>
      ) : null}
      {can.assign ? (
        <BulkAction
          label={t('bulk.assign')}
          pending={bulk.isPending && bulk.variables?.action.kind === 'assign'}
          options={[
            { value: 'none', label: t('filters.unassigned') },
            ...reference.team
              .filter((member) => member.active)
              .map((member) => ({ value: member.user_id, label: member.full_name })),
          ]}
          onApply={(ownerId) => void run({ kind: 'assign', ownerId: ownerId === 'none' ? null : ownerId })}
        />
      ) : null}
      {can.export ? (
        <Button variant="secondary" pending={exporting} pendingLabel={t('export.working')} onClick={onExport}>
          <Download aria-hidden="true" size={16} />
          {t('bulk.exportSelected')}
        </Button>
      ) : null}
      <Button variant="secondary" onClick={onClear}>
        <X aria-hidden="true" size={16} />
        {t('bulk.clear')}
      </Button>
    </section>
  );
}
