import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  addAffiliateFeed,
  affiliateFeedKeys,
  affiliateFeedsOptions,
  fetchRunErrorsCsv,
  removeAffiliateFeed,
  runAffiliateFeedNow,
  setAffiliateFeedActive,
  type AffiliateFeed,
} from '../api/affiliate-feeds.ts';
import { affiliateFeedSchema, parseFieldMap, type AffiliateFeedInput } from '../schemas/affiliate-feed.ts';
import styles from './affiliate-feeds-settings.module.css';

/**
 * Settings → Affiliate feeds (admins): the product feeds of affiliate networks that the
 * affiliate-feeds function imports into the catalogue, each with its latest run (status, counts,
 * the refused rows as a CSV download), Run now, Pause / Resume and Remove; and the form to add one.
 */
export function AffiliateFeedsSettings() {
  const { t } = useTranslation('portal');
  const feeds = useQuery(affiliateFeedsOptions());
  return (
    <>
      <section className="settings-section" aria-labelledby="feeds-heading">
        <h2 id="feeds-heading">{t('feeds.heading')}</h2>
        <p className="field-help">{t('feeds.intro')}</p>
        {feeds.isError ? (
          <ErrorState description={t('feeds.loadFailed')} onRetry={() => void feeds.refetch()} />
        ) : !feeds.data ? (
          <Skeleton lines={3} label={t('feeds.loading')} />
        ) : feeds.data.length === 0 ? (
          <EmptyState title={t('feeds.empty.title')} description={t('feeds.empty.description')} />
        ) : (
          <FeedTable feeds={feeds.data} />
        )}
      </section>
      <section className="settings-section" aria-labelledby="feeds-add-heading">
        <h2 id="feeds-add-heading">{t('feeds.add.heading')}</h2>
        <AddFeedForm />
      </section>
    </>
  );
}

function download(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function FeedTable({ feeds }: { feeds: AffiliateFeed[] }) {
  const { t, i18n } = useTranslation('portal');
  const zone = useZoneAndLanguage();
  const queryClient = useQueryClient();
  const number = new Intl.NumberFormat(i18n.language);
  const [removing, setRemoving] = useState<AffiliateFeed | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: affiliateFeedKeys.all });
  const act = useMutation({
    mutationFn: async ({ feed, action }: { feed: AffiliateFeed; action: 'run' | 'pause' | 'resume' | 'remove' }) => {
      if (action === 'run') await runAffiliateFeedNow(feed.id);
      else if (action === 'remove') await removeAffiliateFeed(feed.id);
      else await setAffiliateFeedActive(feed.id, action === 'resume');
      return action;
    },
    onSuccess: (action, { feed }) => toast.success(t(`feeds.done.${action}`, { network: feed.network })),
    onError: () => toast.error(t('feeds.actionFailed')),
    onSettled: refresh,
  });

  const downloadErrors = async (feed: AffiliateFeed, runId: string) => {
    try {
      download(await fetchRunErrorsCsv(runId), `feed-errors-${feed.network.replace(/[^\w-]+/g, '-')}.csv`);
    } catch {
      toast.error(t('feeds.downloadFailed'));
    }
  };

  return (
    <>
      <Table
        className={styles.feeds}
        caption={t('feeds.caption')}
        columns={[
          { label: t('feeds.network') },
          { label: t('feeds.lastRun') },
          { label: t('feeds.counts') },
          { label: t('feeds.actions') },
        ]}
      >
        {feeds.map((feed) => {
          const run = feed.runs[0];
          return (
            <tr key={feed.id}>
              <td>
                <strong>{feed.network}</strong>
                <span className={styles.detail}>
                  {t('feeds.every', { format: feed.format.toUpperCase(), count: feed.interval_minutes })}
                  {feed.active ? '' : ` · ${t('feeds.paused')}`}
                </span>
                <span className={styles.url}>{feed.feed_url}</span>
              </td>
              <td>
                {run ? (
                  <>
                    <span className={styles[`status_${run.status}`]}>{t(`feeds.status.${run.status}`)}</span>
                    <span className={styles.detail}>{formatDateTime(run.finished_at ?? run.started_at, zone)}</span>
                    {run.error ? <span className={styles.error}>{run.error}</span> : null}
                  </>
                ) : (
                  t('feeds.neverRun')
                )}
              </td>
              <td>
                {run
                  ? t('feeds.countsText', {
                      total: number.format(run.rows_total),
                      created: number.format(run.rows_created),
                      updated: number.format(run.rows_updated),
                      unchanged: number.format(run.rows_unchanged),
                      rejected: number.format(run.rows_rejected),
                      unavailable: number.format(run.products_unavailable),
                    })
                  : '—'}
              </td>
              <td>
                <div className={styles.buttons}>
                  <Button
                    variant="secondary"
                    aria-label={t('feeds.runNowFor', { network: feed.network })}
                    disabled={act.isPending || run?.status === 'fetching' || run?.status === 'applying'}
                    onClick={() => act.mutate({ feed, action: 'run' })}
                  >
                    {t('feeds.runNow')}
                  </Button>
                  {run && run.rows_rejected > 0 ? (
                    <Button
                      variant="secondary"
                      aria-label={t('feeds.downloadErrorsFor', { network: feed.network })}
                      onClick={() => void downloadErrors(feed, run.id)}
                    >
                      {t('feeds.downloadErrors')}
                    </Button>
                  ) : null}
                  <Button
                    variant="secondary"
                    aria-label={t(feed.active ? 'feeds.pauseFor' : 'feeds.resumeFor', { network: feed.network })}
                    disabled={act.isPending}
                    onClick={() => act.mutate({ feed, action: feed.active ? 'pause' : 'resume' })}
                  >
                    {t(feed.active ? 'feeds.pause' : 'feeds.resume')}
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={t('feeds.removeFor', { network: feed.network })}
                    disabled={act.isPending}
                    onClick={() => setRemoving(feed)}
                  >
                    {t('feeds.remove')}
                  </Button>
                </div>
              </td>
            </tr>
          );
        })}
      </Table>
      <ConfirmDialog
        open={removing !== null}
        title={t('feeds.removeTitle', { network: removing?.network ?? '' })}
        description={t('feeds.removeDescription')}
        confirmLabel={t('feeds.remove')}
        pending={act.isPending}
        pendingLabel={t('feeds.removing')}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) act.mutate({ feed: removing, action: 'remove' }, { onSettled: () => setRemoving(null) });
        }}
      />
    </>
  );
}

const EMPTY: AffiliateFeedInput = { network: '', feed_url: '', format: 'csv', interval_minutes: 360, field_map: '' };

function AddFeedForm() {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<AffiliateFeedInput>({ resolver: zodResolver(affiliateFeedSchema), defaultValues: EMPTY });
  const message = (key: string | undefined) => (key ? t(key) : undefined);

  const onSubmit = handleSubmit(async (values) => {
    try {
      await addAffiliateFeed({
        network: values.network,
        feed_url: values.feed_url,
        format: values.format,
        interval_minutes: values.interval_minutes,
        field_map: parseFieldMap(values.field_map) ?? {},
      });
      reset(EMPTY);
      toast.success(t('feeds.add.added', { network: values.network }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      toast.error(
        code === '23505' ? t('feeds.add.taken') : code === '42501' ? t('feeds.add.notAllowed') : t('feeds.add.failed'),
      );
    } finally {
      await queryClient.invalidateQueries({ queryKey: affiliateFeedKeys.all });
    }
  });

  return (
    <form className="settings-form" aria-labelledby="feeds-add-heading" noValidate onSubmit={onSubmit}>
      <TextField label={t('feeds.add.network')} error={message(errors.network?.message)} {...register('network')} />
      <TextField
        label={t('feeds.add.url')}
        type="url"
        inputMode="url"
        error={message(errors.feed_url?.message)}
        {...register('feed_url')}
      />
      <SelectField
        label={t('feeds.add.format')}
        options={[
          { value: 'csv', label: 'CSV' },
          { value: 'json', label: 'JSON' },
          { value: 'xml', label: 'XML' },
        ]}
        {...register('format')}
      />
      <TextField
        label={t('feeds.add.interval')}
        type="number"
        inputMode="numeric"
        min={15}
        max={10080}
        step={1}
        error={message(errors.interval_minutes?.message)}
        {...register('interval_minutes', { valueAsNumber: true })}
      />
      <TextField
        label={t('feeds.add.fieldMap')}
        aria-describedby="feeds-field-map-help"
        placeholder="url=deeplink, title=name"
        error={message(errors.field_map?.message)}
        {...register('field_map')}
      />
      <p id="feeds-field-map-help" className="field-help">
        {t('feeds.add.fieldMapHelp')}
      </p>
      <div className="form-actions">
        <Button type="submit" pending={isSubmitting} pendingLabel={t('feeds.add.adding')}>
          {t('feeds.add.submit')}
        </Button>
      </div>
    </form>
  );
}
