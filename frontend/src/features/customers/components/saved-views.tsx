import { zodResolver } from '@hookform/resolvers/zod';
import { Bookmark, Settings2, Trash2 } from 'lucide-react';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import type { SavedView } from '../api/saved-views.ts';
import { useSavedViewMutations, useSavedViews } from '../hooks/use-saved-views.ts';
import { isDuplicateName, savedViewSchema, type SavedViewFormValues } from '../schemas/saved-view.ts';
import { paramsFromViewState, viewStateOf, type ListParams } from '../utils/list-params.ts';

export interface SavedViewsProps {
  params: ListParams;
  onApply: (params: ListParams) => void;
}

const sameState = (a: Record<string, string>, b: unknown) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries((b ?? {}) as object).sort());

/** Pick a saved view, save the current one, manage one's own: views are filters, sort and search. */
export function SavedViews({ params, onApply }: SavedViewsProps) {
  const { t } = useTranslation('customers');
  const viewer = useViewer();
  const views = useSavedViews();
  const selectId = useId();
  const [dialog, setDialog] = useState<'save' | 'manage' | null>(null);
  const current = viewStateOf(params);
  const own = (views.data ?? []).filter((view) => view.owner_id === viewer.userId);
  const shared = (views.data ?? []).filter((view) => view.owner_id !== viewer.userId);
  const active = (views.data ?? []).find((view) => sameState(current, view.state));

  return (
    <div className="saved-views">
      <div className="field">
        <label htmlFor={selectId}>{t('views.label')}</label>
        <select
          id={selectId}
          value={active?.id ?? ''}
          disabled={!views.data}
          onChange={(event) => {
            const view = views.data?.find((candidate) => candidate.id === event.currentTarget.value);
            onApply(view ? paramsFromViewState(view.state) : paramsFromViewState({}));
          }}
        >
          <option value="">{t('views.all')}</option>
          <ViewGroup label={t('views.mine')} views={own} />
          <ViewGroup label={t('views.shared')} views={shared} />
        </select>
      </div>
      <Button variant="secondary" onClick={() => setDialog('save')} disabled={active !== undefined}>
        <Bookmark aria-hidden="true" size={16} />
        {t('views.save')}
      </Button>
      {own.length > 0 ? (
        <Button variant="secondary" onClick={() => setDialog('manage')}>
          <Settings2 aria-hidden="true" size={16} />
          {t('views.manage')}
        </Button>
      ) : null}
      <Dialog
        open={dialog === 'save'}
        onOpenChange={(open) => setDialog(open ? 'save' : null)}
        title={t('views.saveTitle')}
      >
        <SaveViewForm state={current} onDone={() => setDialog(null)} />
      </Dialog>
      <Dialog
        open={dialog === 'manage'}
        onOpenChange={(open) => setDialog(open ? 'manage' : null)}
        title={t('views.manageTitle')}
      >
        <ul className="saved-views-list">
          {own.map((view) => (
            <ManagedView
              key={view.id}
              view={view}
              onApply={() => {
                onApply(paramsFromViewState(view.state));
                setDialog(null);
              }}
            />
          ))}
        </ul>
      </Dialog>
    </div>
  );
}

/** One owner's views in the picker; an empty group is left out. */
function ViewGroup({ label, views }: { label: string; views: SavedView[] }) {
  if (views.length === 0) return null;
  return (
    <optgroup label={label}>
      {views.map((view) => (
        <option key={view.id} value={view.id}>
          {view.name}
        </option>
      ))}
    </optgroup>
  );
}

function SaveViewForm({ state, onDone }: { state: Record<string, string>; onDone: () => void }) {
  const { t } = useTranslation('customers');
  const { create } = useSavedViewMutations();
  return (
    <SavedViewForm
      defaultValues={{ name: '', shared: false }}
      submitLabel={t('views.save')}
      onCancel={onDone}
      send={async (values) => {
        await create.mutateAsync({ ...values, state });
        toast.success(t('views.saved', { name: values.name }));
        onDone();
      }}
    />
  );
}

interface SavedViewFormProps {
  /** The form's accessible name, where the dialog's title does not name it. */
  label?: string;
  defaultValues: SavedViewFormValues;
  submitLabel: string;
  /** Saves the values; when it throws, the reason shows under the name. */
  send: (values: SavedViewFormValues) => Promise<void>;
  onCancel: () => void;
}

/** A view's name and sharing, for saving a new view and for editing one. */
function SavedViewForm({ label, defaultValues, submitLabel, send, onCancel }: SavedViewFormProps) {
  const { t } = useTranslation('customers');
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SavedViewFormValues>({ resolver: zodResolver(savedViewSchema), defaultValues });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await send(values);
    } catch (error) {
      setError('name', {
        message: isDuplicateName(error) ? 'customers:views.nameTaken' : 'customers:views.saveFailed',
      });
    }
  });

  return (
    <form className="settings-form" noValidate onSubmit={onSubmit} aria-label={label}>
      <TextField
        label={t('views.name')}
        autoFocus
        error={errors.name?.message ? t(errors.name.message) : undefined}
        {...register('name')}
      />
      <Checkbox label={t('views.shareWithTeam')} {...register('shared')} />
      <div className="form-actions">
        <Button variant="secondary" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
        <Button type="submit" pending={isSubmitting} pendingLabel={t('form.saving')}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** One of the viewer's own views: apply, rename, share or stop sharing, delete. */
function ManagedView({ view, onApply }: { view: SavedView; onApply: () => void }) {
  const { t } = useTranslation('customers');
  const { update, remove } = useSavedViewMutations();
  const [renaming, setRenaming] = useState(false);

  if (renaming) {
    return (
      <li>
        <SavedViewForm
          label={t('views.editTitle', { name: view.name })}
          defaultValues={{ name: view.name, shared: view.shared }}
          submitLabel={t('form.save')}
          onCancel={() => setRenaming(false)}
          send={async (values) => {
            await update.mutateAsync({ id: view.id, changes: values });
            setRenaming(false);
            toast.success(t('views.updated'));
          }}
        />
      </li>
    );
  }
  return (
    <li>
      <button type="button" className="view-name" onClick={onApply}>
        {view.name}
      </button>
      {view.shared ? <span className="badge">{t('views.sharedBadge')}</span> : null}
      <Button variant="secondary" onClick={() => setRenaming(true)} aria-label={t('views.edit', { name: view.name })}>
        {t('views.editShort')}
      </Button>
      <button
        type="button"
        className="icon-button"
        aria-label={t('views.delete', { name: view.name })}
        disabled={remove.isPending}
        onClick={() =>
          remove.mutate(view.id, {
            onSuccess: () => toast.success(t('views.deleted', { name: view.name })),
            onError: () => toast.error(t('views.deleteFailed')),
          })
        }
      >
        <Trash2 aria-hidden="true" size={16} />
      </button>
    </li>
  );
}
