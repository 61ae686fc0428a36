import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  RETENTION_BOUNDS,
  RETENTION_COLUMN,
  RETENTION_KINDS,
  RetentionNotAllowedError,
  retentionInvalidates,
  retentionOverviewOptions,
  retentionSettingsOptions,
  updateRetentionSettings,
  type RetentionSettingsRow,
} from '../api/retention.ts';
import { retentionSchema, type RetentionInput } from '../schemas/retention.ts';
import styles from './retention-settings.module.css';

/**
 * Settings → Privacy & retention (admins): how long each kind of data is kept before the daily
 * purge removes it, whether erasure waits for open orders, and what the last purge did.
 */
export function RetentionSettings() {
  const { t } = useTranslation('portal');
  const settings = useQuery(retentionSettingsOptions());
  return (
    <>
      <section className="settings-section" aria-labelledby="retention-heading">
        <h2 id="retention-heading">{t('retention.heading')}</h2>
        <p className="field-help">{t('retention.intro')}</p>
        {settings.isError ? (
          <ErrorState description={t('retention.loadFailed')} onRetry={() => void settings.refetch()} />
        ) : settings.data ? (
          <RetentionForm settings={settings.data} />
        ) : (
          <Skeleton lines={4} label={t('retention.loading')} />
        )}
      </section>
      <RetentionOverview />
    </>
  );
}

function RetentionForm({ settings }: { settings: RetentionSettingsRow }) {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<RetentionInput>({ resolver: zodResolver(retentionSchema), defaultValues: settings });
  const save = useMutation({
    mutationFn: updateRetentionSettings,
    onSettled: () => Promise.all(retentionInvalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await save.mutateAsync(values);
      reset(values);
      toast.success(t('retention.saved'));
    } catch (error) {
      const code = (error as { code?: string }).code;
      toast.error(
        error instanceof RetentionNotAllowedError
          ? t('retention.notAllowed')
          : code === '23514'
            ? t('retention.outOfRange')
            : t('retention.saveFailed'),
      );
    }
  });

  return (
    <form className="settings-form" aria-label={t('retention.heading')} noValidate onSubmit={onSubmit}>
      <fieldset className={styles.periods}>
        <legend>{t('retention.periods')}</legend>
        {RETENTION_KINDS.map((kind) => {
          const column = RETENTION_COLUMN[kind];
          const bounds = RETENTION_BOUNDS[kind];
          const error = errors[column]?.message;
          return (
            <TextField
              key={kind}
              type="number"
              inputMode="numeric"
              min={bounds.min}
              max={bounds.max}
              step={1}
              label={t('retention.daysLabel', { kind: t(`retention.kinds.${kind}`) })}
              error={error ? t(error, bounds) : undefined}
              {...register(column, { valueAsNumber: true })}
            />
          );
        })}
      </fieldset>
      <Checkbox
        label={t('retention.erasureWaits')}
        aria-describedby="erasure-waits-hint"
        {...register('erasure_waits_for_open_orders')}
      />
      <p id="erasure-waits-hint" className="field-help">
        {t('retention.erasureWaitsHelp')}
      </p>
      <div className="form-actions">
        <Button type="submit" pending={isSubmitting} pendingLabel={t('retention.saving')} disabled={!isDirty}>
          {t('retention.save')}
        </Button>
      </div>
    </form>
  );
}

function RetentionOverview() {
  const { t, i18n } = useTranslation('portal');
  const zone = useZoneAndLanguage();
  const overview = useQuery(retentionOverviewOptions());
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section className="settings-section" aria-labelledby="retention-overview-heading">
      <h2 id="retention-overview-heading">{t('retention.overview.heading')}</h2>
      {overview.isError ? (
        <ErrorState description={t('retention.overview.loadFailed')} onRetry={() => void overview.refetch()} />
      ) : overview.data ? (
        <Table
          className={styles.overview}
          caption={t('retention.overview.caption')}
          columns={[
            { label: t('retention.overview.kind') },
            { label: t('retention.overview.days'), className: styles.number },
            { label: t('retention.overview.waiting'), className: styles.number },
            { label: t('retention.overview.lastRun') },
          ]}
        >
          {overview.data.map((row) => (
            <tr key={row.kind}>
              <td>{t(`retention.kinds.${row.kind}`, { defaultValue: row.kind })}</td>
              <td className={styles.number}>{number.format(row.days)}</td>
              <td className={styles.number}>{number.format(row.waiting)}</td>
              <td>
                {row.last_run_at
                  ? t('retention.overview.ran', {
                      when: formatDateTime(row.last_run_at, zone),
                      count: row.last_removed ?? 0,
                      removed: number.format(row.last_removed ?? 0),
                    })
                  : t('retention.overview.never')}
              </td>
            </tr>
          ))}
        </Table>
      ) : (
        <Skeleton lines={3} label={t('retention.overview.loading')} />
      )}
    </section>
  );
}
