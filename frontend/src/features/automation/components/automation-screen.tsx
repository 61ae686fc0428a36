import type { PostgrestError } from '@supabase/supabase-js';
import { useQuery } from '@tanstack/react-query';
import { Pause, Play, Plus, Save, Workflow } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { Card } from '@/components/card.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatNumber } from '@/lib/format.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import type { FlowChoices } from '../api/choices.ts';
import { previewActivation, type Flow, type Step } from '../api/flows.ts';
import { useFlowChoices } from '../hooks/use-flow-choices.ts';
import { useFlowMutations, useFlowPaths, useFlows, useFlowStats } from '../hooks/use-flows.ts';
import styles from './automation.module.css';
import { RulesField, TagPicker } from './step-fields.tsx';
import { StepList, type FlowError } from './step-list.tsx';

export const TRIGGERS = [
  'customer_created',
  'portal_signup',
  'stage_changed',
  'order_created',
  'order_paid',
  'order_fulfilled',
  'segment_entered',
  'segment_left',
  'tag_added',
  'favourite_added',
  'inactive_days',
  'alert_clicked_no_order',
] as const;

const errorText = (error: unknown) => (error as PostgrestError | null)?.message ?? String(error);

/** The place the database named when it refused a flow (22023, DETAIL "steps.2.then.1"), if any. */
function flowErrorOf(error: unknown): FlowError | null {
  const failure = error as PostgrestError | null;
  if (!failure || failure.code !== '22023' || !failure.details) return null;
  return { path: failure.details, message: failure.message };
}

/** The "a customer joined" triggers, which a flow may start on both of (flows.also_on). */
const JOINED: Record<string, string | undefined> = {
  customer_created: 'portal_signup',
  portal_signup: 'customer_created',
};

/** Rules a new goal starts from: "has ordered at least once" (the person changes it in the builder). */
const GOAL_RULES = { match: 'all', conditions: [{ field: 'order_count', op: 'gte', value: 1 }] };

/** The trigger's parameter, if it takes one, with a picker for what it names. */
function TriggerParameter({
  trigger,
  choices,
  disabled,
  onChange,
}: {
  trigger: Record<string, unknown>;
  choices: FlowChoices;
  disabled: boolean;
  onChange: (trigger: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation('automation');
  const type = String(trigger.type ?? '');
  const text = (key: string) => (typeof trigger[key] === 'string' ? (trigger[key] as string) : '');
  const set = (key: string, value: unknown) =>
    onChange(value === undefined || value === '' ? { type } : { type, [key]: value });
  switch (type) {
    case 'stage_changed':
      return (
        <SelectField
          label={t('fields.to')}
          value={text('to')}
          disabled={disabled}
          options={[
            { value: '', label: t('editor.anyStage') },
            ...choices.stages.map((stage) => ({ value: stage.key, label: stage.label })),
          ]}
          onChange={(event) => set('to', event.target.value)}
        />
      );
    case 'segment_entered':
    case 'segment_left':
      return (
        <SelectField
          label={t('fields.segment_id')}
          value={text('segment_id')}
          disabled={disabled}
          options={[
            { value: '', label: t('editor.chooseSegment') },
            ...choices.segments.map((segment) => ({ value: segment.id, label: segment.name })),
          ]}
          onChange={(event) => set('segment_id', event.target.value)}
        />
      );
    case 'tag_added':
      return (
        <TagPicker
          label={t('fields.tag_id')}
          value={text('tag_id')}
          choices={choices}
          disabled={disabled}
          onChange={(tagId) => set('tag_id', tagId)}
        />
      );
    case 'inactive_days':
    case 'alert_clicked_no_order': {
      const key = type === 'inactive_days' ? 'days' : 'hours';
      return (
        <TextField
          label={t(`fields.${key}`)}
          type="number"
          min={1}
          value={trigger[key] === undefined ? '' : String(trigger[key])}
          disabled={disabled}
          onChange={(event) => set(key, event.target.value === '' ? undefined : Number(event.target.value))}
        />
      );
    }
    default:
      return null;
  }
}

interface Draft {
  name: string;
  trigger: Record<string, unknown>;
  also_on: string[];
  steps: Step[];
  goal: Record<string, unknown> | null;
}

const draftOf = (flow: Flow): Draft => ({
  name: flow.name,
  trigger: (flow.trigger ?? {}) as Record<string, unknown>,
  also_on: flow.also_on,
  steps: (flow.steps ?? []) as unknown as Step[],
  goal: (flow.goal ?? null) as Record<string, unknown> | null,
});

function FlowStats({ flowId }: { flowId: string }) {
  const { t } = useTranslation('automation');
  const stats = useFlowStats(flowId);
  const language = usePreferencesStore((state) => state.language);
  if (stats.isPending) return <LoadingState label={t('stats.loading')} />;
  if (stats.isError) return <ErrorState onRetry={() => void stats.refetch()} />;
  return (
    <dl className={styles.stats} aria-label={t('stats.title')}>
      {(['entered', 'inProgress', 'completed', 'goalMet'] as const).map((key) => (
        <div key={key} className={styles.stat}>
          <dt>{t(`stats.${key}`)}</dt>
          <dd>{formatNumber(stats.data[key], language)}</dd>
        </div>
      ))}
    </dl>
  );
}

function FlowPaths({ flowId }: { flowId: string }) {
  const { t } = useTranslation('automation');
  const paths = useFlowPaths(flowId);
  if (paths.isPending) return <LoadingState label={t('paths.loading')} />;
  if (paths.isError) return <ErrorState onRetry={() => void paths.refetch()} />;
  if (paths.data.length === 0) return <p className={styles.status}>{t('paths.empty')}</p>;
  return (
    <ul className={styles.steps}>
      {paths.data.map((path) => (
        <li key={path.enrolmentId} className={styles.step}>
          <Link to={`/customers/${path.customerId}`}>{path.customerName}</Link>{' '}
          <span className={styles.status}>{t(`states.${path.state}`, { defaultValue: path.state })}</span>
          <ol className={styles.path} aria-label={t('paths.pathOf', { name: path.customerName })}>
            {path.steps.map((step) => (
              <li key={step.stepKey} title={new Date(step.occurredAt).toLocaleString()}>
                {step.stepKey}: {t(`outcomes.${step.outcome}`, { defaultValue: step.outcome })}
                {step.detail ? ` (${step.detail})` : ''}
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ul>
  );
}

function ActivateDialog({ flow, onClose }: { flow: Flow; onClose: () => void }) {
  const { t } = useTranslation('automation');
  const { activate } = useFlowMutations();
  const [enrolExisting, setEnrolExisting] = useState(false);
  const language = usePreferencesStore((state) => state.language);
  const count = useQuery({ queryKey: ['flows', 'preview', flow.id], queryFn: () => previewActivation(flow.id) });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={t('activate.title', { name: flow.name })}
      description={t('activate.description')}
    >
      {count.isPending ? <LoadingState label={t('activate.counting')} /> : null}
      {count.isError ? <p className={styles.error}>{errorText(count.error)}</p> : null}
      {count.isSuccess ? (
        <Checkbox
          label={t('activate.enrolExisting', { count: count.data, formatted: formatNumber(count.data, language) })}
          checked={enrolExisting}
          disabled={count.data === 0}
          onChange={(event) => setEnrolExisting(event.target.checked)}
        />
      ) : null}
      {activate.isError ? <p className={styles.error}>{errorText(activate.error)}</p> : null}
      <DialogActions onCancel={onClose}>
        <Button
          pending={activate.isPending}
          pendingLabel={t('activate.pending')}
          disabled={!count.isSuccess}
          onClick={() =>
            activate.mutate(
              { id: flow.id, enrolExisting },
              {
                onSuccess: (result) => {
                  toast.success(
                    t('activate.done', { count: result.enrolled, formatted: formatNumber(result.enrolled, language) }),
                  );
                  onClose();
                },
              },
            )
          }
        >
          {t('activate.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function FlowEditor({ flow, editable, choices }: { flow: Flow; editable: boolean; choices: FlowChoices }) {
  const { t } = useTranslation('automation');
  const { update, pause } = useFlowMutations();
  const [draft, setDraft] = useState<Draft>(() => draftOf(flow));
  const [activating, setActivating] = useState(false);
  const triggerType = String(draft.trigger.type ?? 'customer_created');
  const goalKind = draft.goal ? String(draft.goal.kind) : 'none';
  const joined = JOINED[triggerType];
  const refused = update.isError ? flowErrorOf(update.error) : null;
  const save = () =>
    update.mutate(
      { id: flow.id, input: draft },
      { onSuccess: () => toast.success(t('editor.saved', { name: draft.name })) },
    );

  return (
    <div className={styles.editor}>
      <Card title={flow.name}>
        <p className={styles.status}>
          {t(`status.${flow.status}`)}
          {flow.description ? ` · ${flow.description}` : ''}
        </p>
        <div className={styles.row}>
          <TextField
            label={t('editor.name')}
            value={draft.name}
            disabled={!editable}
            maxLength={80}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
          />
          <SelectField
            label={t('editor.trigger')}
            value={triggerType}
            disabled={!editable}
            options={TRIGGERS.map((value) => ({ value, label: t(`triggers.${value}`) }))}
            onChange={(event) => setDraft({ ...draft, trigger: { type: event.target.value }, also_on: [] })}
          />
          {joined ? (
            <Checkbox
              label={t('editor.alsoOn', { trigger: t(`triggers.${joined}`) })}
              checked={draft.also_on.includes(joined)}
              disabled={!editable}
              onChange={(event) => setDraft({ ...draft, also_on: event.target.checked ? [joined] : [] })}
            />
          ) : null}
          <TriggerParameter
            trigger={draft.trigger}
            choices={choices}
            disabled={!editable}
            onChange={(trigger) => setDraft({ ...draft, trigger })}
          />
          <SelectField
            label={t('editor.goal')}
            value={goalKind}
            disabled={!editable}
            options={(['none', 'placed_order', 'rules'] as const).map((value) => ({
              value,
              label: t(`goals.${value}`),
            }))}
            onChange={(event) =>
              setDraft({
                ...draft,
                goal:
                  event.target.value === 'none'
                    ? null
                    : event.target.value === 'rules'
                      ? { kind: 'rules', rules: GOAL_RULES }
                      : { kind: event.target.value },
              })
            }
          />
          {goalKind === 'rules' && draft.goal ? (
            <RulesField
              key={`goal-${flow.id}`}
              label={t('editor.goalRules')}
              rules={draft.goal.rules}
              disabled={!editable}
              onChange={(rules) => setDraft({ ...draft, goal: { kind: 'rules', rules } })}
            />
          ) : null}
        </div>
        {editable ? (
          <div className={styles.row}>
            <Button pending={update.isPending} pendingLabel={t('editor.saving')} onClick={save}>
              <Save aria-hidden="true" size={16} /> {t('editor.save')}
            </Button>
            {flow.status === 'active' ? (
              <Button
                variant="secondary"
                pending={pause.isPending}
                pendingLabel={t('editor.pausing')}
                onClick={() => pause.mutate(flow.id, { onSuccess: () => toast.success(t('editor.paused')) })}
              >
                <Pause aria-hidden="true" size={16} /> {t('editor.pause')}
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => setActivating(true)}>
                <Play aria-hidden="true" size={16} /> {t('editor.activate')}
              </Button>
            )}
          </div>
        ) : (
          <p className={styles.status}>{t('editor.readOnly')}</p>
        )}
        {update.isError ? (
          <p role="alert" className={styles.error}>
            {t('editor.notSaved', { message: errorText(update.error) })}
          </p>
        ) : null}
      </Card>
      <Card title={t('editor.steps')}>
        <StepList
          steps={draft.steps}
          choices={choices}
          disabled={!editable}
          error={refused}
          onChange={(steps) => setDraft({ ...draft, steps })}
        />
      </Card>
      <Card title={t('stats.title')}>
        <FlowStats flowId={flow.id} />
      </Card>
      <Card title={t('paths.title')}>
        <FlowPaths flowId={flow.id} />
      </Card>
      {activating ? <ActivateDialog flow={flow} onClose={() => setActivating(false)} /> : null}
    </div>
  );
}

/** /automation: the flows, and the selected one's editor, statistics and customers' paths. */
export function AutomationScreen() {
  const { t } = useTranslation('automation');
  const viewer = useViewer();
  const editable = can(viewer, 'editFlows');
  const flows = useFlows();
  const choices = useFlowChoices();
  const { create } = useFlowMutations();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('flow');

  if (flows.isPending) return <LoadingState label={t('loading')} />;
  if (flows.isError) return <ErrorState onRetry={() => void flows.refetch()} />;
  const selected = flows.data.find((flow) => flow.id === selectedId) ?? null;

  const newFlow = () =>
    create.mutate(
      {
        name: t('newFlowName', { n: flows.data.length + 1 }),
        trigger: { type: 'customer_created' },
        also_on: [],
        steps: [],
        goal: null,
      },
      { onSuccess: (flow) => setParams({ flow: flow.id }) },
    );
  const newButton = editable ? (
    <Button pending={create.isPending} pendingLabel={t('creating')} onClick={newFlow}>
      <Plus aria-hidden="true" size={16} /> {t('newFlow')}
    </Button>
  ) : null;

  if (flows.data.length === 0) {
    return (
      <EmptyState
        icon={Workflow}
        title={t('emptyTitle')}
        description={editable ? t('emptyDescription') : t('emptyReadOnly')}
        action={newButton}
      />
    );
  }
  return (
    <div className={styles.layout}>
      <nav aria-label={t('listLabel')} className={styles.editor}>
        {newButton}
        {create.isError ? <p className={styles.error}>{errorText(create.error)}</p> : null}
        <ul className={styles.list}>
          {flows.data.map((flow) => (
            <li key={flow.id}>
              <button
                type="button"
                className={styles.flowButton}
                aria-current={flow.id === selectedId}
                onClick={() => setParams({ flow: flow.id })}
              >
                <span>{flow.name}</span>
                <span className={styles.status}>
                  {t(`status.${flow.status}`)} · {t(`triggers.${String((flow.trigger as { type?: string }).type)}`)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {selected && choices.isError ? (
        <ErrorState onRetry={choices.retry} />
      ) : selected && !choices.choices ? (
        <LoadingState label={t('editor.loadingChoices')} />
      ) : selected && choices.choices ? (
        <FlowEditor
          key={`${selected.id}-${selected.updated_at}`}
          flow={selected}
          editable={editable}
          choices={choices.choices}
        />
      ) : (
        <p className={styles.status}>{t('pickOne')}</p>
      )}
    </div>
  );
}
