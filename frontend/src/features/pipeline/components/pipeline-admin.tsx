import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { LANGUAGES } from '@/lib/i18n.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  pipelineKeys,
  removePipeline,
  removeStage,
  savePipeline,
  saveStage,
  swapStages,
  type DealStage,
  type Names,
  type Pipeline,
} from '../api/pipeline.ts';
import { usePipelines, useStages } from '../hooks/use-pipeline.ts';
import styles from './pipeline.module.css';

const TRANSLATED = LANGUAGES.filter((language) => language !== 'en');

const namesFrom = (form: FormData): Names =>
  Object.fromEntries(
    TRANSLATED.map((language) => [language, String(form.get(`name-${language}`) ?? '').trim()]).filter(
      ([, value]) => value,
    ),
  );

const namesOf = (item: { names: unknown }): Names =>
  item.names && typeof item.names === 'object' ? (item.names as Names) : {};

function useAdminMutation<T>(fn: (input: T) => Promise<void>) {
  const { t } = useTranslation('pipeline');
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: fn,
    onMutate: () => setFailure(null),
    onSuccess: () => toast.success(t('admin.saved')),
    onError: (error) => setFailure(t('admin.refused', { message: error.message })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: pipelineKeys.all }),
  });
  return { mutation, failure };
}

/** The name and its translations, as one group of fields. */
function NameFields({ prefix, item }: { prefix: string; item?: { name: string; names: unknown } }) {
  const { t } = useTranslation('pipeline');
  const names = item ? namesOf(item) : {};
  return (
    <>
      <TextField label={t('admin.name')} name="name" required defaultValue={item?.name ?? ''} id={`${prefix}-name`} />
      {TRANSLATED.map((language) => (
        <TextField
          key={language}
          label={t('admin.nameIn', { language: t(`admin.languages.${language}`) })}
          name={`name-${language}`}
          lang={language}
          defaultValue={names[language] ?? ''}
          id={`${prefix}-name-${language}`}
        />
      ))}
    </>
  );
}

function StageRow({ stage, above, below }: { stage: DealStage; above?: DealStage; below?: DealStage }) {
  const { t } = useTranslation('pipeline');
  const save = useAdminMutation((form: FormData) =>
    saveStage(stage.id, stage.pipeline_id, {
      name: String(form.get('name') ?? '').trim(),
      names: namesFrom(form),
      probability: Number(form.get('probability')),
      outcome: String(form.get('outcome')) as 'open' | 'won' | 'lost',
    }),
  );
  const move = useAdminMutation((other: DealStage) => swapStages(stage, other));
  const remove = useAdminMutation(() => removeStage(stage.id));
  const [confirming, setConfirming] = useState(false);
  const outcome = stage.is_won ? 'won' : stage.is_lost ? 'lost' : 'open';
  return (
    <li className={styles.adminStage}>
      <form
        className={styles.formGrid}
        aria-label={t('admin.stage', { name: stage.name })}
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          save.mutation.mutate(new FormData(event.currentTarget));
        }}
      >
        <NameFields prefix={stage.id} item={stage} />
        <TextField
          label={t('admin.probability')}
          name="probability"
          inputMode="numeric"
          defaultValue={String(stage.probability)}
          id={`${stage.id}-probability`}
        />
        <SelectField
          label={t('admin.outcome')}
          name="outcome"
          defaultValue={outcome}
          id={`${stage.id}-outcome`}
          options={(['open', 'won', 'lost'] as const).map((value) => ({ value, label: t(`admin.outcomes.${value}`) }))}
        />
        <div className={styles.adminActions}>
          <Button type="submit" pending={save.mutation.isPending}>
            {t('admin.saveStage')}
          </Button>
          <Button
            variant="secondary"
            aria-label={t('admin.moveUp', { name: stage.name })}
            disabled={!above}
            onClick={() => above && move.mutation.mutate(above)}
          >
            <ArrowUp aria-hidden="true" size={16} />
          </Button>
          <Button
            variant="secondary"
            aria-label={t('admin.moveDown', { name: stage.name })}
            disabled={!below}
            onClick={() => below && move.mutation.mutate(below)}
          >
            <ArrowDown aria-hidden="true" size={16} />
          </Button>
          <Button
            variant="secondary"
            aria-label={t('admin.removeStage', { name: stage.name })}
            onClick={() => setConfirming(true)}
          >
            <Trash2 aria-hidden="true" size={16} />
          </Button>
        </div>
      </form>
      <FormError message={save.failure ?? move.failure ?? remove.failure} />
      <ConfirmDialog
        open={confirming}
        title={t('admin.confirmRemoveStage', { name: stage.name })}
        description={t('admin.removeDescription')}
        confirmLabel={t('admin.remove')}
        pending={remove.mutation.isPending}
        pendingLabel={t('admin.removing')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutation.mutate(undefined, { onSettled: () => setConfirming(false) })}
      />
    </li>
  );
}

function PipelineSection({ pipeline, stages }: { pipeline: Pipeline; stages: DealStage[] }) {
  const { t } = useTranslation('pipeline');
  const rename = useAdminMutation((form: FormData) =>
    savePipeline(pipeline.id, { name: String(form.get('name') ?? '').trim(), names: namesFrom(form) }),
  );
  const addStage = useAdminMutation((form: FormData) =>
    saveStage(
      null,
      pipeline.id,
      {
        name: String(form.get('name') ?? '').trim(),
        names: namesFrom(form),
        probability: Number(form.get('probability') || 0),
        outcome: 'open',
      },
      (stages.at(-1)?.position ?? 0) + 10,
    ),
  );
  const remove = useAdminMutation(() => removePipeline(pipeline.id));
  const [confirming, setConfirming] = useState(false);
  const headingId = `pipeline-${pipeline.id}`;
  return (
    <section aria-labelledby={headingId} className={styles.adminPipeline}>
      <h2 id={headingId}>{pipeline.name}</h2>
      <form
        className={styles.formGrid}
        aria-label={t('admin.renamePipeline', { name: pipeline.name })}
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          rename.mutation.mutate(new FormData(event.currentTarget));
        }}
      >
        <NameFields prefix={pipeline.id} item={pipeline} />
        <div className={styles.adminActions}>
          <Button type="submit" pending={rename.mutation.isPending}>
            {t('admin.savePipeline')}
          </Button>
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {t('admin.removePipeline')}
          </Button>
        </div>
      </form>
      <FormError message={rename.failure ?? remove.failure} />
      <ConfirmDialog
        open={confirming}
        title={t('admin.confirmRemovePipeline', { name: pipeline.name })}
        description={t('admin.removeDescription')}
        confirmLabel={t('admin.remove')}
        pending={remove.mutation.isPending}
        pendingLabel={t('admin.removing')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutation.mutate(undefined, { onSettled: () => setConfirming(false) })}
      />
      <h3>{t('admin.stages')}</h3>
      <ol className={styles.adminStages}>
        {stages.map((stage, index) => (
          <StageRow key={stage.id} stage={stage} above={stages[index - 1]} below={stages[index + 1]} />
        ))}
      </ol>
      <form
        className={styles.formGrid}
        aria-label={t('admin.addStageTo', { name: pipeline.name })}
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          addStage.mutation.mutate(new FormData(event.currentTarget));
          event.currentTarget.reset();
        }}
      >
        <NameFields prefix={`${pipeline.id}-new`} />
        <TextField
          label={t('admin.probability')}
          name="probability"
          inputMode="numeric"
          defaultValue="10"
          id={`${pipeline.id}-new-probability`}
        />
        <div className={styles.adminActions}>
          <Button type="submit" pending={addStage.mutation.isPending}>
            {t('admin.addStage')}
          </Button>
        </div>
      </form>
      <FormError message={addStage.failure} />
    </section>
  );
}

/** /pipeline/manage (admins): pipelines and their stages — names in five languages, order, probability, won / lost. */
export function PipelineAdmin() {
  const { t } = useTranslation('pipeline');
  const pipelines = usePipelines();
  const stages = useStages();
  const add = useAdminMutation((form: FormData) =>
    savePipeline(null, {
      name: String(form.get('name') ?? '').trim(),
      names: namesFrom(form),
      position: Math.max(0, ...(pipelines.data ?? []).map((pipeline) => pipeline.position)) + 10,
    }),
  );
  if (pipelines.isPending || stages.isPending) return <LoadingState />;
  if (pipelines.isError || stages.isError)
    return <ErrorState description={t('loadFailed')} onRetry={() => void pipelines.refetch()} />;
  return (
    <div className={styles.admin}>
      {pipelines.data.map((pipeline) => (
        <PipelineSection
          key={pipeline.id}
          pipeline={pipeline}
          stages={stages.data.filter((stage) => stage.pipeline_id === pipeline.id)}
        />
      ))}
      <section aria-labelledby="pipeline-new">
        <h2 id="pipeline-new">{t('admin.newPipeline')}</h2>
        <form
          className={styles.formGrid}
          aria-label={t('admin.newPipeline')}
          onSubmit={(event: FormEvent<HTMLFormElement>) => {
            event.preventDefault();
            add.mutation.mutate(new FormData(event.currentTarget));
            event.currentTarget.reset();
          }}
        >
          <NameFields prefix="new-pipeline" />
          <div className={styles.adminActions}>
            <Button type="submit" pending={add.mutation.isPending}>
              {t('admin.addPipeline')}
            </Button>
          </div>
        </form>
        <FormError message={add.failure} />
      </section>
    </div>
  );
}
