import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { assignsCustomers } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import { customerSearchOptions, type Deal, type DealStage } from '../api/pipeline.ts';
import { useSaveDeal, useTeamNames } from '../hooks/use-pipeline.ts';
import { dealSchema, toDealWrite, type DealInput } from '../schemas/deal.ts';
import { localName } from '../utils/board.ts';
import styles from './pipeline.module.css';

export interface DealDialogProps {
  open: boolean;
  /** The deal to edit; null to add one. */
  deal: Deal | null;
  /** The stages a deal may be in (the board's pipeline, or every open stage from the 360). */
  stages: DealStage[];
  baseCurrency: string;
  /** Fixed customer (the 360's Deals tab); the board lets the person pick one. */
  customer?: { id: string; label: string };
  defaultStageId?: string;
  onClose: () => void;
}

const toInput = (deal: Deal | null, props: DealDialogProps, viewerId: string): DealInput => ({
  title: deal?.title ?? '',
  customerId: deal?.customer_id ?? props.customer?.id ?? '',
  stageId: deal?.stage_id ?? props.defaultStageId ?? props.stages[0]?.id ?? '',
  amount: deal ? String(deal.amount) : '0',
  currency: deal?.currency ?? props.baseCurrency,
  probability: deal ? String(deal.probability) : '',
  expectedClose: deal?.expected_close ?? '',
  ownerId: deal?.owner_id ?? viewerId,
  notes: deal?.notes ?? '',
});

/** Add or edit a deal: one form, one schema; the database has the last word (its message shows). */
export function DealDialog(props: DealDialogProps) {
  const { open, deal, stages, customer, onClose } = props;
  const { t } = useTranslation('pipeline');
  const viewer = useViewer();
  const zone = useZoneAndLanguage();
  const save = useSaveDeal();
  const team = useTeamNames();
  const [search, setSearch] = useState('');
  const customers = useQuery({ ...customerSearchOptions(search), enabled: open && !customer && !deal });
  const [failure, setFailure] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<DealInput>({
    resolver: zodResolver(dealSchema),
    defaultValues: toInput(deal, props, viewer.userId),
  });
  useEffect(() => {
    if (open) reset(toInput(deal, props, viewer.userId));
    // Only a new opening resets the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, deal?.id]);

  const message = (key?: string) => (key ? t(key) : undefined);
  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await save.mutateAsync({
        id: deal?.id ?? null,
        values: toDealWrite(values),
      });
      toast.success(t(deal ? 'deal.saved' : 'deal.created'));
      setFailure(null);
      onClose();
    } catch (error) {
      setFailure(t('deal.saveFailed', { message: (error as Error).message }));
    }
  });

  const titleField = register('title');
  const owners = (team.data ?? []).filter((member) => member.active && member.role !== 'readonly');
  // Agents work deals for themselves (the database refuses anything else).
  const ownerOptions = assignsCustomers(viewer.role)
    ? [
        { value: '', label: t('deal.noOwner') },
        ...owners.map((member) => ({ value: member.user_id, label: member.full_name })),
      ]
    : [{ value: viewer.userId, label: viewer.fullName }];
  const customerOptions = customer
    ? [{ value: customer.id, label: customer.label }]
    : deal
      ? [{ value: deal.customer_id, label: deal.customer?.full_name ?? deal.customer?.email ?? deal.customer_id }]
      : [
          { value: '', label: t('deal.pickCustomer') },
          ...(customers.data ?? []).map((row) => ({ value: row.id, label: row.label })),
        ];

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (next) return;
        setFailure(null);
        onClose();
      }}
      title={deal ? t('deal.editTitle') : t('deal.newTitle')}
      initialFocus={titleRef}
    >
      <form noValidate onSubmit={onSubmit} className="dialog-form">
        <div className={styles.formGrid}>
          <TextField
            label={t('deal.fields.title')}
            error={message(errors.title?.message)}
            {...titleField}
            ref={(element) => {
              titleField.ref(element);
              titleRef.current = element;
            }}
          />
          {!customer && !deal ? (
            <TextField
              label={t('deal.fields.customerSearch')}
              type="search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
            />
          ) : null}
          <SelectField
            label={t('deal.fields.customer')}
            options={customerOptions}
            disabled={Boolean(customer || deal)}
            error={message(errors.customerId?.message)}
            {...register('customerId')}
          />
          <SelectField
            label={t('deal.fields.stage')}
            options={stages.map((stage) => ({ value: stage.id, label: localName(stage, zone.language) }))}
            error={message(errors.stageId?.message)}
            {...register('stageId')}
          />
          <TextField
            label={t('deal.fields.amount')}
            inputMode="decimal"
            error={message(errors.amount?.message)}
            {...register('amount')}
          />
          <TextField
            label={t('deal.fields.currency')}
            maxLength={3}
            error={message(errors.currency?.message)}
            {...register('currency')}
          />
          <TextField
            label={t('deal.fields.probability')}
            inputMode="numeric"
            placeholder={t('deal.probabilityFromStage')}
            error={message(errors.probability?.message)}
            {...register('probability')}
          />
          <TextField
            label={t('deal.fields.expectedClose')}
            type="date"
            error={message(errors.expectedClose?.message)}
            {...register('expectedClose')}
          />
          <SelectField label={t('deal.fields.owner')} options={ownerOptions} {...register('ownerId')} />
        </div>
        <div className="field">
          <label htmlFor="deal-notes">{t('deal.fields.notes')}</label>
          <textarea id="deal-notes" rows={3} {...register('notes')} />
        </div>
        <FormError message={failure} />
        <DialogActions
          onCancel={() => {
            setFailure(null);
            onClose();
          }}
        >
          <Button type="submit" pending={isSubmitting} pendingLabel={t('deal.saving')}>
            {deal ? t('deal.save') : t('deal.create')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
