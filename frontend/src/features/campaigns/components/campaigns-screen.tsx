import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { Megaphone, Plus } from 'lucide-react';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { segmentsOptions } from '@/api/segments.ts';
import { Card } from '@/components/card.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { format } from 'date-fns';

import { campaignListOptions, campaignOptions, marketingTemplatesOptions, type Campaign } from '../api/campaigns.ts';
import { useCampaignMutations } from '../hooks/use-campaigns.ts';
import { campaignSchema, type CampaignInput } from '../schemas/campaign.ts';
import { CampaignDetail } from './campaign-detail.tsx';
import styles from './campaigns.module.css';

/** /campaigns: the list (newest first), a new campaign's form, or one campaign (?campaign=<id>). */
export function CampaignsScreen() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('campaign');
  if (params.get('new') === '1') return <CampaignForm onDone={(id) => setParams(id ? { campaign: id } : {})} />;
  if (selected && params.get('edit') === '1') {
    return <EditCampaign id={selected} onDone={() => setParams({ campaign: selected })} />;
  }
  if (selected) {
    return (
      <CampaignDetail
        id={selected}
        onBack={() => setParams({})}
        onEdit={() => setParams({ campaign: selected, edit: '1' })}
      />
    );
  }
  return <CampaignList onOpen={(id) => setParams({ campaign: id })} onNew={() => setParams({ new: '1' })} />;
}

function CampaignList({ onOpen, onNew }: { onOpen: (id: string) => void; onNew: () => void }) {
  const { t } = useTranslation('campaigns');
  const viewer = useViewer();
  const language = usePreferencesStore((state) => state.language);
  const campaigns = useQuery(campaignListOptions());
  const mayCreate = can(viewer, 'sendCampaigns');
  const newButton = mayCreate ? (
    <Button onClick={onNew}>
      <Plus aria-hidden="true" size={16} />
      {t('list.new')}
    </Button>
  ) : null;

  if (campaigns.isPending) return <LoadingState />;
  if (campaigns.isError) return <ErrorState onRetry={() => void campaigns.refetch()} />;
  if (campaigns.data.length === 0) {
    return (
      <EmptyState
        icon={Megaphone}
        title={t('list.emptyTitle')}
        description={mayCreate ? t('list.emptyDescription') : t('list.emptyReadOnly')}
        action={newButton}
      />
    );
  }
  return (
    <div className={styles.layout}>
      <div className={styles.toolbar}>
        <p>{t('list.count', { count: campaigns.data.length })}</p>
        {newButton}
      </div>
      <Table
        className={styles.table}
        caption={t('list.caption')}
        columns={[
          { label: t('list.columns.name') },
          { label: t('list.columns.status') },
          { label: t('list.columns.when') },
        ]}
      >
        {campaigns.data.map((campaign) => (
          <tr key={campaign.id}>
            <td>
              <button type="button" className={styles.linkButton} onClick={() => onOpen(campaign.id)}>
                {campaign.name}
              </button>
            </td>
            <td>{t(`status.${campaign.status}`)}</td>
            <td>
              {formatDateTime(campaign.finished_at ?? campaign.started_at ?? campaign.created_at, {
                timeZone: viewer.timeZone,
                language,
              })}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

/** A draft's form values: what the form shows for a stored campaign (send_at in the browser's time, as typed). */
function valuesOf(campaign: Campaign): CampaignInput {
  const offer = (campaign.variables as Record<string, unknown> | null)?.offer_code;
  return {
    name: campaign.name,
    segment_id: campaign.segment_id,
    template_id: campaign.template_id,
    schedule: campaign.schedule,
    send_at: campaign.send_at ? format(new Date(campaign.send_at), "yyyy-MM-dd'T'HH:mm") : undefined,
    local_date: campaign.local_date ?? undefined,
    local_time: campaign.local_time?.slice(0, 5) ?? undefined,
    offer_code: typeof offer === 'string' ? offer : undefined,
    attribution_days: campaign.attribution_days,
  };
}

/** ?campaign=<id>&edit=1: a draft's form; a campaign that has started is not edited (the database refuses too). */
function EditCampaign({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation('campaigns');
  const campaign = useQuery(campaignOptions(id));
  if (campaign.isPending) return <LoadingState />;
  if (campaign.isError) return <ErrorState onRetry={() => void campaign.refetch()} />;
  if (!campaign.data) return <ErrorState title={t('detail.notFound')} />;
  if (campaign.data.status !== 'draft') return <ErrorState title={t('form.notDraft')} />;
  return <CampaignForm campaign={campaign.data} onDone={onDone} />;
}

function CampaignForm({ campaign, onDone }: { campaign?: Campaign; onDone: (id: string | null) => void }) {
  const { t } = useTranslation('campaigns');
  const viewer = useViewer();
  const segments = useQuery(segmentsOptions());
  const templates = useQuery(marketingTemplatesOptions());
  const { create, update } = useCampaignMutations();
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    control,
    formState: { errors, isSubmitting },
  } = useForm<CampaignInput>({
    resolver: zodResolver(campaignSchema),
    defaultValues: campaign
      ? valuesOf(campaign)
      : { name: '', schedule: 'now', attribution_days: 5, segment_id: '', template_id: '' },
  });
  const title = campaign ? t('form.editTitle', { name: campaign.name }) : t('form.title');
  const schedule = useWatch({ control, name: 'schedule' });
  if (!can(viewer, 'sendCampaigns')) return <ErrorState title={t('form.notAllowed')} />;
  if (segments.isPending || templates.isPending) return <LoadingState />;
  if (segments.isError || templates.isError) return <ErrorState />;

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      if (campaign) {
        await update.mutateAsync({
          id: campaign.id,
          input: values,
          variables: (campaign.variables ?? {}) as Record<string, unknown>,
        });
        onDone(campaign.id);
      } else {
        onDone(await create.mutateAsync(values));
      }
    } catch (error) {
      const failed = error as { code?: string; message?: string };
      setFailure(failed.code === '55000' ? t('form.notDraft') : (failed.message ?? t('form.failed')));
    }
  });
  const message = (key?: string) =>
    key ? t(`form.errors.${key}`, { defaultValue: t('form.errors.invalid') }) : undefined;
  return (
    <Card title={title}>
      <form className={styles.form} aria-label={title} noValidate onSubmit={onSubmit}>
        <TextField label={t('form.name')} error={message(errors.name?.message)} {...register('name')} />
        <SelectField
          label={t('form.audience')}
          options={[
            { value: '', label: t('form.choose') },
            ...segments.data.map((segment) => ({ value: segment.id, label: segment.name })),
          ]}
          error={message(errors.segment_id?.message)}
          {...register('segment_id')}
        />
        <SelectField
          label={t('form.template')}
          options={[
            { value: '', label: t('form.choose') },
            ...templates.data.map((template) => ({ value: template.id, label: template.name })),
          ]}
          error={message(errors.template_id?.message)}
          {...register('template_id')}
        />
        {templates.data.length === 0 ? <p className={styles.warning}>{t('form.noTemplates')}</p> : null}
        <SelectField
          label={t('form.schedule')}
          options={(['now', 'at', 'local_time'] as const).map((value) => ({
            value,
            label: t(`schedule.${value}`),
          }))}
          {...register('schedule')}
        />
        {schedule === 'at' ? (
          <TextField
            label={t('form.sendAt')}
            type="datetime-local"
            error={message(errors.send_at?.message)}
            {...register('send_at')}
          />
        ) : null}
        {schedule === 'local_time' ? (
          <div className={styles.row}>
            <TextField
              label={t('form.localDate')}
              type="date"
              error={message(errors.local_date?.message)}
              {...register('local_date')}
            />
            <TextField label={t('form.localTime')} type="time" {...register('local_time')} />
          </div>
        ) : null}
        <TextField label={t('form.offerCode')} {...register('offer_code')} />
        <TextField
          label={t('form.attributionDays')}
          type="number"
          min={1}
          max={90}
          error={message(errors.attribution_days?.message)}
          {...register('attribution_days', { valueAsNumber: true })}
        />
        <FormError message={failure} />
        <div className={styles.actions}>
          <Button type="submit" pending={isSubmitting} pendingLabel={t('form.saving')}>
            {t('form.save')}
          </Button>
          <Button type="button" variant="secondary" onClick={() => onDone(campaign ? campaign.id : null)}>
            {t('form.cancel')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
