import { KanbanSquare, Plus } from 'lucide-react';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatMoney } from '@/lib/format.ts';
import { formatIsoDate } from '@/lib/dates.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';
import type { NewTaskDialogProps } from '@/components/new-task-dialog.tsx';

import type { Deal } from '../api/pipeline.ts';
import {
  useBaseCurrency,
  useBoard,
  useForecast,
  useMoveDeal,
  usePipelines,
  useStages,
  useTeamNames,
} from '../hooks/use-pipeline.ts';
import { forecastByMonth, localName, totalsByStage, type DropTarget } from '../utils/board.ts';
import {
  hasFilters,
  NO_FILTERS,
  readParams,
  writeParams,
  type BoardFilters,
  type PipelineParams,
} from '../utils/filters.ts';
import { choosePipeline, readLastPipeline, rememberPipeline } from '../utils/last-pipeline.ts';
import { CloseDealDialog } from './close-deal-dialog.tsx';
import { DealsList } from './deals-list.tsx';
import { PipelineBoard } from './pipeline-board.tsx';
import styles from './pipeline.module.css';

// The forms load when first opened, not with the board: its first paint waits for its code.
const DealDialog = lazy(() => import('./deal-dialog.tsx').then((module) => ({ default: module.DealDialog })));
const NewTaskDialog = lazy(() =>
  import('@/components/new-task-dialog.tsx').then((module) => ({ default: module.NewTaskDialog })),
);

/** /pipeline: the chosen pipeline as a board or a list, its filters in the URL, totals and forecast. */
export function PipelineScreen() {
  const { t } = useTranslation('pipeline');
  const viewer = useViewer();
  const zone = useZoneAndLanguage();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readParams(searchParams);
  const pipelines = usePipelines();
  const stages = useStages();
  const team = useTeamNames();
  const baseCurrency = useBaseCurrency();
  const remembered = useMemo(() => readLastPipeline(viewer.userId), [viewer.userId]);
  const pipelineId = choosePipeline(params.pipeline, remembered, pipelines.data);
  useEffect(() => {
    if (pipelineId) rememberPipeline(viewer.userId, pipelineId);
  }, [pipelineId, viewer.userId]);
  const pipelineStages = useMemo(
    () => (stages.data ?? []).filter((stage) => stage.pipeline_id === pipelineId),
    [stages.data, pipelineId],
  );
  const board = useBoard(pipelineId, params.filters);
  const forecast = useForecast(pipelineId, params.filters);
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const move = useMoveDeal(pipelineId, params.filters, (dealId, message) =>
    setRefusals((current) => ({ ...current, [dealId]: message })),
  );
  const [closing, setClosing] = useState<{ deal: Deal; target: DropTarget; outcome: 'won' | 'lost' } | null>(null);
  const [editing, setEditing] = useState<{ deal: Deal | null } | null>(null);
  // A task about a deal (from its card): linked to the deal, for the deal's customer.
  const [taskFor, setTaskFor] = useState<NewTaskDialogProps['context']>(null);

  const update = (next: Partial<PipelineParams>) =>
    setSearchParams(writeParams({ ...params, ...next }, searchParams), { replace: true });
  const setFilter = (next: Partial<BoardFilters>) => update({ filters: { ...params.filters, ...next } });

  const ownerName = (ownerId: string | null) =>
    ownerId
      ? (team.data?.find((member) => member.user_id === ownerId)?.full_name ?? t('card.unknownOwner'))
      : t('card.noOwner');
  // Agents see only their customers' deals, so anyone who logs activities may add a task here.
  const mayAddTasks = can(viewer, 'editCustomers');
  const canMove = (deal: Deal) =>
    can(viewer, 'editDeals', { ownerId: viewer.role === 'agent' ? viewer.userId : deal.owner_id });

  const requestMove = (dealId: string, target: DropTarget) => {
    setRefusals(({ [dealId]: _cleared, ...rest }) => rest);
    const stage = pipelineStages.find((item) => item.id === target.stageId);
    const deal = Object.values(board.data ?? {})
      .flat()
      .find((item) => item.id === dealId);
    if (!stage || !deal) return;
    if ((stage.is_won || stage.is_lost) && deal.stage_id !== stage.id) {
      setClosing({ deal, target, outcome: stage.is_won ? 'won' : 'lost' });
      return;
    }
    move.mutate({ dealId, toStageId: target.stageId, afterDealId: target.afterId });
  };

  if (pipelines.isPending || stages.isPending) return <LoadingState />;
  if (pipelines.isError || stages.isError) {
    return (
      <ErrorState
        description={t('loadFailed')}
        onRetry={() => void Promise.all([pipelines.refetch(), stages.refetch()])}
      />
    );
  }
  if (!pipelineId) {
    return <EmptyState icon={KanbanSquare} title={t('noPipelines.title')} description={t('noPipelines.description')} />;
  }

  const { byStage, board: boardTotals } = totalsByStage(forecast.data ?? []);
  const months = forecastByMonth(forecast.data ?? [], pipelineStages);
  const money = (amount: number) => (baseCurrency.data ? formatMoney(amount, baseCurrency.data, zone.language) : '…');
  const allDeals = Object.values(board.data ?? {}).flat();
  const owners = (team.data ?? []).filter((member) => member.active && member.role !== 'readonly');

  return (
    <>
      <div className={styles.toolbar}>
        <SelectField
          label={t('pipelinePicker')}
          options={(pipelines.data ?? []).map((pipeline) => ({
            value: pipeline.id,
            label: localName(pipeline, zone.language),
          }))}
          value={pipelineId}
          onChange={(event) => update({ pipeline: event.target.value })}
        />
        <div role="group" aria-label={t('view.label')} className={styles.segmented}>
          {(['board', 'list'] as const).map((view) => (
            <Button
              key={view}
              variant={params.view === view ? 'primary' : 'secondary'}
              aria-pressed={params.view === view}
              onClick={() => update({ view })}
            >
              {t(`view.${view}`)}
            </Button>
          ))}
        </div>
        {can(viewer, 'managePipelines') ? (
          <Link className="button button-secondary" to="/pipeline/manage">
            {t('manage')}
          </Link>
        ) : null}
        {can(viewer, 'editDeals') ? (
          <Button onClick={() => setEditing({ deal: null })}>
            <Plus aria-hidden="true" size={16} /> {t('newDeal')}
          </Button>
        ) : null}
      </div>

      <fieldset className={styles.filters}>
        <legend className="visually-hidden">{t('filters.label')}</legend>
        <SelectField
          label={t('filters.owner')}
          options={[
            { value: '', label: t('filters.anyOwner') },
            ...owners.map((member) => ({ value: member.user_id, label: member.full_name })),
          ]}
          value={params.filters.owner ?? ''}
          onChange={(event) => setFilter({ owner: event.target.value || null })}
        />
        <TextField
          label={t('filters.minAmount')}
          inputMode="decimal"
          defaultValue={params.filters.minAmount ?? ''}
          onBlur={(event) =>
            setFilter({ minAmount: readParams(new URLSearchParams({ min: event.target.value })).filters.minAmount })
          }
        />
        <TextField
          label={t('filters.maxAmount')}
          inputMode="decimal"
          defaultValue={params.filters.maxAmount ?? ''}
          onBlur={(event) =>
            setFilter({ maxAmount: readParams(new URLSearchParams({ max: event.target.value })).filters.maxAmount })
          }
        />
        <TextField
          label={t('filters.closeFrom')}
          type="date"
          value={params.filters.closeFrom ?? ''}
          onChange={(event) => setFilter({ closeFrom: event.target.value || null })}
        />
        <TextField
          label={t('filters.closeTo')}
          type="date"
          value={params.filters.closeTo ?? ''}
          onChange={(event) => setFilter({ closeTo: event.target.value || null })}
        />
        {params.filters.customer ? <p>{t('filters.oneCustomer')}</p> : null}
        {hasFilters(params.filters) ? (
          <Button variant="secondary" onClick={() => update({ filters: NO_FILTERS })}>
            {t('filters.clear')}
          </Button>
        ) : null}
      </fieldset>

      <dl className={styles.forecast} aria-label={t('forecast.label')}>
        <div>
          <dt>{t('forecast.deals')}</dt>
          <dd>{boardTotals.deals}</dd>
        </div>
        <div>
          <dt>{t('forecast.total')}</dt>
          <dd>{money(boardTotals.amount)}</dd>
        </div>
        <div>
          <dt>{t('forecast.weighted')}</dt>
          <dd>{money(boardTotals.weighted)}</dd>
        </div>
        {months.slice(0, 6).map((month) => (
          <div key={month.month ?? 'none'}>
            <dt>
              {month.month
                ? t('forecast.month', { month: formatIsoDate(month.month, zone.language, 'month') })
                : t('forecast.noDate')}
            </dt>
            <dd>{money(month.weighted)}</dd>
          </div>
        ))}
      </dl>

      {board.isPending && pipelineStages.length > 0 ? (
        <LoadingState />
      ) : board.isError ? (
        <ErrorState description={t('loadFailed')} onRetry={() => void board.refetch()} />
      ) : params.view === 'list' ? (
        <DealsList
          deals={allDeals}
          stages={pipelineStages}
          baseCurrency={baseCurrency.data}
          ownerName={ownerName}
          onOpen={(deal) => setEditing({ deal })}
        />
      ) : (
        <PipelineBoard
          stages={pipelineStages}
          board={board.data ?? {}}
          totals={byStage}
          baseCurrency={baseCurrency.data}
          ownerName={ownerName}
          canMove={canMove}
          refusals={refusals}
          onMove={requestMove}
          onOpen={(deal) => setEditing({ deal })}
          onAddTask={
            mayAddTasks
              ? (deal) => setTaskFor({ customerId: deal.customer_id, dealId: deal.id, label: deal.title })
              : undefined
          }
        />
      )}
      {taskFor ? (
        <Suspense fallback={null}>
          <NewTaskDialog context={taskFor} onClose={() => setTaskFor(null)} />
        </Suspense>
      ) : null}

      <CloseDealDialog
        key={closing?.deal.id ?? 'none'}
        closing={closing ? { title: closing.deal.title, outcome: closing.outcome } : null}
        onCancel={() => {
          setClosing(null);
          toast.info(t('close.cancelled'));
        }}
        onConfirm={(reason) => {
          if (!closing) return;
          move.mutate({
            dealId: closing.deal.id,
            toStageId: closing.target.stageId,
            afterDealId: closing.target.afterId,
            reason,
          });
          setClosing(null);
        }}
      />
      {editing !== null ? (
        <Suspense fallback={null}>
          <DealDialog
            open={editing !== null}
            deal={editing?.deal ?? null}
            stages={pipelineStages}
            baseCurrency={baseCurrency.data ?? 'EUR'}
            onClose={() => setEditing(null)}
          />
        </Suspense>
      ) : null}
    </>
  );
}
