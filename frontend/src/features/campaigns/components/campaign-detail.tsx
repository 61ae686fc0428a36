import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Pencil, Trash2 } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Card } from '@/components/card.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { formatMoney, formatNumber } from '@/lib/format.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  campaignOptions,
  campaignResultsOptions,
  campaignSummaryOptions,
  NotADraftError,
  type Campaign,
  type CampaignAction,
  type CampaignResults,
  type CampaignSummary,
} from '../api/campaigns.ts';
import { useCampaignMutations } from '../hooks/use-campaigns.ts';
import styles from './campaigns.module.css';

const ResultsChart = lazy(() => import('./results-chart.tsx').then((module) => ({ default: module.ResultsChart })));

/** One campaign: before sending, its summary and the send button; after, live progress and results. */
export function CampaignDetail({ id, onBack, onEdit }: { id: string; onBack: () => void; onEdit: () => void }) {
  const { t } = useTranslation('campaigns');
  const campaign = useQuery(campaignOptions(id));
  return (
    <div className={styles.layout}>
      <div>
        <Button variant="secondary" onClick={onBack}>
          <ArrowLeft aria-hidden="true" size={16} />
          {t('detail.back')}
        </Button>
      </div>
      {campaign.isPending ? <LoadingState /> : null}
      {campaign.isError ? <ErrorState onRetry={() => void campaign.refetch()} /> : null}
      {campaign.data === null ? <ErrorState title={t('detail.notFound')} /> : null}
      {campaign.data ? <CampaignBody campaign={campaign.data} onEdit={onEdit} onDeleted={onBack} /> : null}
    </div>
  );
}

function CampaignBody({
  campaign,
  onEdit,
  onDeleted,
}: {
  campaign: Campaign;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation('campaigns');
  const viewer = useViewer();
  const { act, remove } = useCampaignMutations();
  const [asking, setAsking] = useState<CampaignAction | null>(null);
  const [deleting, setDeleting] = useState(false);
  const mayAct = can(viewer, 'sendCampaigns');
  const results = useQuery({ ...campaignResultsOptions(campaign.id), enabled: campaign.status !== 'draft' });
  const status = results.data?.status ?? campaign.status;

  const run = async (action: CampaignAction) => {
    try {
      await act.mutateAsync({ id: campaign.id, action });
      toast.success(t(`actions.${action}.done`));
    } catch (error) {
      toast.error((error as { message?: string }).message ?? t('actions.failed'));
    } finally {
      setAsking(null);
    }
  };
  const deleteDraft = async () => {
    try {
      await remove.mutateAsync(campaign.id);
      toast.success(t('draft.deleted', { name: campaign.name }));
      onDeleted();
    } catch (error) {
      toast.error(
        error instanceof NotADraftError
          ? t('draft.notDraft')
          : ((error as { message?: string }).message ?? t('actions.failed')),
      );
    } finally {
      setDeleting(false);
    }
  };
  const available: CampaignAction[] = !mayAct
    ? []
    : status === 'draft'
      ? ['send']
      : status === 'sending' || status === 'scheduled'
        ? ['pause', 'cancel']
        : status === 'paused'
          ? ['resume', 'cancel']
          : [];

  return (
    <>
      <h2>{campaign.name}</h2>
      <p>
        {t('detail.status')}: <strong>{t(`status.${status}`)}</strong>
        {results.data?.status_reason ? ` — ${results.data.status_reason}` : ''}
      </p>
      {available.length ? (
        <div className={styles.actions}>
          {available.map((action) => (
            <Button
              key={action}
              variant={action === 'send' || action === 'resume' ? 'primary' : 'secondary'}
              onClick={() => setAsking(action)}
            >
              {t(`actions.${action}.button`)}
            </Button>
          ))}
          {mayAct && status === 'draft' ? (
            <>
              <Button variant="secondary" onClick={onEdit}>
                <Pencil aria-hidden="true" size={16} />
                {t('draft.edit')}
              </Button>
              <Button variant="secondary" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden="true" size={16} />
                {t('draft.delete')}
              </Button>
            </>
          ) : null}
        </div>
      ) : null}
      {campaign.status === 'draft' ? <Summary id={campaign.id} /> : null}
      {campaign.status === 'draft' ? <EmptyVariables campaign={campaign} editable={mayAct} /> : null}
      {deleting ? (
        <ConfirmDialog
          open
          title={t('draft.deleteTitle', { name: campaign.name })}
          description={t('draft.deleteDescription')}
          confirmLabel={t('draft.delete')}
          pending={remove.isPending}
          pendingLabel={t('actions.pending')}
          onCancel={() => setDeleting(false)}
          onConfirm={() => void deleteDraft()}
        />
      ) : null}
      {results.data ? <Progress results={results.data} /> : null}
      {asking ? (
        <ConfirmDialog
          open
          title={t(`actions.${asking}.title`, { name: campaign.name })}
          description={t(`actions.${asking}.description`)}
          confirmLabel={t(`actions.${asking}.confirm`)}
          pending={act.isPending}
          pendingLabel={t('actions.pending')}
          onCancel={() => setAsking(null)}
          onConfirm={() => void run(asking)}
        />
      ) : null}
    </>
  );
}

function Figures({ items }: { items: Array<[string, string]> }) {
  return (
    <dl className={styles.figures}>
      {items.map(([label, value]) => (
        <div key={label} className={styles.figure}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Summary({ id }: { id: string }) {
  const { t } = useTranslation('campaigns');
  const language = usePreferencesStore((state) => state.language);
  const summary = useQuery(campaignSummaryOptions(id));
  if (summary.isPending) return <LoadingState />;
  if (summary.isError) return <ErrorState onRetry={() => void summary.refetch()} />;
  const data: CampaignSummary = summary.data;
  const n = (value: number) => formatNumber(value, language);
  const reasons = Object.entries(data.reasons);
  return (
    <Card title={t('summary.title')}>
      <Figures
        items={[
          [t('summary.recipients'), n(data.recipients)],
          [t('summary.sendable'), n(data.sendable)],
          [t('summary.deferred'), n(data.deferred)],
          [t('summary.excluded'), n(data.excluded)],
        ]}
      />
      {!data.postal_address_set ? <p className={styles.warning}>{t('summary.noPostalAddress')}</p> : null}
      <h3>{t('summary.reasonsTitle')}</h3>
      {reasons.length === 0 ? (
        <p>{t('summary.noReasons')}</p>
      ) : (
        <ul className={styles.list} aria-label={t('summary.reasonsTitle')}>
          {reasons.map(([reason, count]) => (
            <li key={reason}>{t(`reasons.${reason}`, { count, defaultValue: `${reason}: ${count}` })}</li>
          ))}
        </ul>
      )}
      <h3>{t('summary.languagesTitle')}</h3>
      <ul className={styles.list}>
        {data.languages.map((row) => (
          <li key={`${row.language}-${row.variant ?? ''}`}>
            {row.missing
              ? t('summary.languageMissing', {
                  language: row.language,
                  count: row.recipients,
                  variant: row.variant ?? '—',
                })
              : t('summary.language', { language: row.language, count: row.recipients })}
          </li>
        ))}
      </ul>
      {Object.keys(data.empty_variables).length ? (
        <>
          <h3>{t('summary.emptyTitle')}</h3>
          <ul className={styles.list}>
            {Object.entries(data.empty_variables).map(([name, count]) => (
              <li key={name}>{t('summary.empty', { name, count })}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  );
}

/**
 * Recipients whose template variables would still be empty after the campaign's fallbacks, and the
 * sender's choice: send anyway (with fallback values typed here) or exclude them. The choice is
 * stored on the campaign (skip_empty_variables, variables) and the send's freeze honours it.
 */
function EmptyVariables({ campaign, editable }: { campaign: Campaign; editable: boolean }) {
  const { t } = useTranslation('campaigns');
  const language = usePreferencesStore((state) => state.language);
  // The summary's query (one plan of the audience for both cards): shared, not asked twice.
  const summary = useQuery(campaignSummaryOptions(campaign.id));
  const { chooseEmpty } = useCampaignMutations();
  const stored = (campaign.variables ?? {}) as Record<string, unknown>;
  const [skip, setSkip] = useState(campaign.skip_empty_variables);
  const [fallbacks, setFallbacks] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(stored).map(([name, value]) => [name, String(value)])),
  );
  const [failure, setFailure] = useState<string | null>(null);
  if (summary.isPending) return <LoadingState />;
  if (summary.isError) return <ErrorState onRetry={() => void summary.refetch()} />;
  const list = summary.data.empty_recipients;
  const empty = [...new Set(list.recipients.flatMap((row) => row.empty_variables))].sort();
  const names = [...new Set([...empty, ...Object.keys(fallbacks).filter((name) => name !== 'offer_code')])];
  if (list.total === 0 && names.length === 0) return null;

  const save = async () => {
    setFailure(null);
    const variables = Object.fromEntries(Object.entries(fallbacks).filter(([, value]) => value.trim() !== ''));
    try {
      await chooseEmpty.mutateAsync({ id: campaign.id, skip, variables });
      toast.success(t('empty.saved'));
    } catch (error) {
      const failed = error as { code?: string; message?: string };
      setFailure(failed.code === '55000' ? t('form.notDraft') : (failed.message ?? t('actions.failed')));
    }
  };
  return (
    <Card title={t('empty.title')}>
      {list.total === 0 ? (
        <p>{t('empty.none')}</p>
      ) : (
        <>
          <p>{t('empty.intro', { count: list.total, formatted: formatNumber(list.total, language) })}</p>
          <Table
            className={styles.table}
            caption={t('empty.caption')}
            columns={[{ label: t('empty.recipient') }, { label: t('empty.variables') }]}
          >
            {list.recipients.map((row) => (
              <tr key={row.customer_id}>
                <td>
                  {row.name}
                  {row.email && row.email !== row.name ? ` (${row.email})` : ''}
                </td>
                <td>{row.empty_variables.join(', ')}</td>
              </tr>
            ))}
          </Table>
          {list.total > list.recipients.length ? (
            <p>{t('empty.more', { count: list.total - list.recipients.length })}</p>
          ) : null}
        </>
      )}
      <fieldset className={styles.choice} disabled={!editable}>
        <legend>{t('empty.choice')}</legend>
        <label className="checkbox">
          <input type="radio" name={`empty-${campaign.id}`} checked={!skip} onChange={() => setSkip(false)} />
          <span>{t('empty.sendAnyway')}</span>
        </label>
        <label className="checkbox">
          <input type="radio" name={`empty-${campaign.id}`} checked={skip} onChange={() => setSkip(true)} />
          <span>{t('empty.exclude')}</span>
        </label>
      </fieldset>
      {names.length ? (
        <div className={styles.row}>
          {names.map((name) => (
            <TextField
              key={name}
              label={t('empty.fallback', { name })}
              value={fallbacks[name] ?? ''}
              disabled={!editable}
              maxLength={500}
              onChange={(event) => setFallbacks({ ...fallbacks, [name]: event.target.value })}
            />
          ))}
        </div>
      ) : null}
      <FormError message={failure} />
      {editable ? (
        <div className={styles.actions}>
          <Button pending={chooseEmpty.isPending} pendingLabel={t('form.saving')} onClick={() => void save()}>
            {t('empty.save')}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

function Progress({ results }: { results: CampaignResults }) {
  const { t } = useTranslation('campaigns');
  const viewer = useViewer();
  const language = usePreferencesStore((state) => state.language);
  const n = (value: number) => formatNumber(value, language);
  const toSend = results.sent + results.failed + results.remaining;
  const bars = [
    { label: t('results.sent'), value: results.sent },
    { label: t('results.delivered'), value: results.delivered },
    { label: t('results.opened'), value: results.opened },
    { label: t('results.clicked'), value: results.clicked },
  ];
  return (
    <>
      <Card title={t('progress.title')}>
        <progress
          className={styles.progress}
          max={Math.max(toSend, 1)}
          value={results.sent + results.failed}
          aria-label={t('progress.label', { done: n(results.sent + results.failed), total: n(toSend) })}
        />
        <Figures
          items={[
            [t('progress.sent'), n(results.sent)],
            [t('progress.deferred'), n(results.deferred)],
            [t('progress.failed'), n(results.failed)],
            [t('progress.remaining'), n(results.remaining)],
            [t('progress.rate'), t('progress.perMinute', { rate: n(results.rate_per_minute) })],
            [
              t('progress.eta'),
              results.eta_seconds === null
                ? '—'
                : t('progress.minutes', { count: Math.ceil(results.eta_seconds / 60) }),
            ],
          ]}
        />
        {results.next_send_at && results.status !== 'done' ? (
          <p>
            {t('progress.next', { at: formatDateTime(results.next_send_at, { timeZone: viewer.timeZone, language }) })}
          </p>
        ) : null}
      </Card>
      <Card title={t('results.title')}>
        <Figures
          items={[
            [t('results.delivered'), n(results.delivered)],
            [t('results.opened'), n(results.opened)],
            [t('results.clicked'), n(results.clicked)],
            [t('results.unsubscribed'), n(results.unsubscribed)],
            [t('results.bounced'), n(results.bounced)],
            [t('results.complained'), n(results.complained)],
            [t('results.orders'), n(results.orders)],
            [
              t('results.revenue', { days: results.attribution_days }),
              formatMoney(results.revenue_base, results.base_currency, language),
            ],
          ]}
        />
        <Suspense fallback={<LoadingState />}>
          <ResultsChart
            bars={bars}
            language={language}
            summary={bars.map((bar) => `${bar.label}: ${n(bar.value)}`).join(', ')}
          />
        </Suspense>
        <Table
          className={styles.table}
          caption={t('results.byLanguage')}
          columns={[
            { label: t('results.language') },
            { label: t('results.sent') },
            { label: t('results.opened') },
            { label: t('results.clicked') },
          ]}
        >
          {results.by_language.map((row) => (
            <tr key={row.language}>
              <td>{row.language}</td>
              <td>{n(row.sent)}</td>
              <td>{n(row.opened)}</td>
              <td>{n(row.clicked)}</td>
            </tr>
          ))}
        </Table>
        {results.links.length ? (
          <Table
            className={styles.table}
            caption={t('results.links')}
            columns={[{ label: t('results.link') }, { label: t('results.clicks') }, { label: t('results.recipients') }]}
          >
            {results.links.map((row) => (
              <tr key={row.url}>
                <td>{row.url}</td>
                <td>{n(row.clicks)}</td>
                <td>{n(row.recipients)}</td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </>
  );
}
