import type { PostgrestError } from '@supabase/supabase-js';
import { useQuery } from '@tanstack/react-query';
import { Download, ListFilter, Plus, Save, Trash2, Users } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import type { Segment } from '@/api/segments.ts';
import { baseCurrencyOptions } from '@/api/workspace.ts';
import { Card } from '@/components/card.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDate } from '@/lib/dates.ts';
import { downloadCsv } from '@/lib/download.ts';
import { formatMoney, formatNumber } from '@/lib/format.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import { exportNewsletterOptins, exportSegmentCsv } from '../api/segments.ts';
import { useSegmentMutations, useSegmentPreview, useSegments } from '../hooks/use-segments.ts';
import {
  fromRules,
  idAtPath,
  PRESET_KEYS,
  PRESETS,
  toRules,
  type GroupDraft,
  type PresetKey,
} from '@/lib/segment-rules.ts';
import { RuleBuilder } from '@/components/rule-builder.tsx';
import { SegmentHistory, SegmentSnapshots } from './segment-history.tsx';
import styles from './segments.module.css';

type Selection = { kind: 'new' } | { kind: 'segment'; id: string } | { kind: 'preset'; key: PresetKey };

/** The segments screen: own, shared and preset segments beside the editor with its live count. */
export function SegmentsScreen() {
  const { t } = useTranslation('segments');
  const viewer = useViewer();
  const segments = useSegments();
  const [selection, setSelection] = useState<Selection>({ kind: 'new' });
  const own = (segments.data ?? []).filter((segment) => segment.owner_id === viewer.userId);
  const shared = (segments.data ?? []).filter((segment) => segment.owner_id !== viewer.userId);
  const selected =
    selection.kind === 'segment' ? segments.data?.find((segment) => segment.id === selection.id) : undefined;
  const editorKey = selection.kind === 'segment' ? selection.id : selection.kind === 'preset' ? selection.key : 'new';

  const item = (label: string, current: boolean, onClick: () => void, key: string) => (
    <li key={key}>
      <button type="button" className={styles.linkButton} aria-current={current || undefined} onClick={onClick}>
        {label}
      </button>
    </li>
  );

  return (
    <div className={styles.layout}>
      <nav className={styles.sidebar} aria-label={t('list.label')}>
        {can(viewer, 'createSegments') ? (
          <Button onClick={() => setSelection({ kind: 'new' })}>
            <Plus aria-hidden="true" size={16} />
            {t('list.new')}
          </Button>
        ) : null}
        {segments.isPending ? <LoadingState /> : null}
        {segments.isError ? <ErrorState onRetry={() => void segments.refetch()} /> : null}
        <section aria-label={t('list.mine')}>
          <h2>{t('list.mine')}</h2>
          {segments.data && own.length === 0 ? <p className={styles.hint}>{t('list.noneMine')}</p> : null}
          <ul className={styles.linkList}>
            {own.map((segment) =>
              item(
                segment.shared ? t('list.sharedName', { name: segment.name }) : segment.name,
                selection.kind === 'segment' && selection.id === segment.id,
                () => setSelection({ kind: 'segment', id: segment.id }),
                segment.id,
              ),
            )}
          </ul>
        </section>
        <section aria-label={t('list.shared')}>
          <h2>{t('list.shared')}</h2>
          {segments.data && shared.length === 0 ? <p className={styles.hint}>{t('list.noneShared')}</p> : null}
          <ul className={styles.linkList}>
            {shared.map((segment) =>
              item(
                segment.name,
                selection.kind === 'segment' && selection.id === segment.id,
                () => setSelection({ kind: 'segment', id: segment.id }),
                segment.id,
              ),
            )}
          </ul>
        </section>
        <section aria-label={t('list.presets')}>
          <h2>{t('list.presets')}</h2>
          <ul className={styles.linkList}>
            {PRESET_KEYS.map((key) =>
              item(
                t(`presets.${key}`),
                selection.kind === 'preset' && selection.key === key,
                () => setSelection({ kind: 'preset', key }),
                key,
              ),
            )}
          </ul>
        </section>
      </nav>
      <div className={styles.editor}>
        {selection.kind === 'segment' && !selected ? (
          segments.isPending ? (
            <LoadingState />
          ) : (
            <EmptyState icon={Users} title={t('editor.gone')} />
          )
        ) : (
          <SegmentEditor
            key={editorKey}
            segment={selected}
            preset={selection.kind === 'preset' ? selection.key : undefined}
            onSaved={(segment) => setSelection({ kind: 'segment', id: segment.id })}
            onDeleted={() => setSelection({ kind: 'new' })}
          />
        )}
        {selected ? (
          <>
            <SegmentHistory key={`history-${selected.id}-${selected.updated_at}`} segmentId={selected.id} />
            <SegmentSnapshots key={`snapshots-${selected.id}`} segmentId={selected.id} />
          </>
        ) : null}
        <NewsletterExport />
      </div>
    </div>
  );
}

interface SegmentEditorProps {
  segment?: Segment;
  preset?: PresetKey;
  onSaved: (segment: Segment) => void;
  onDeleted: () => void;
}

const errorOf = (error: unknown) => error as Partial<PostgrestError> | null;

function SegmentEditor({ segment, preset, onSaved, onDeleted }: SegmentEditorProps) {
  const { t } = useTranslation('segments');
  const viewer = useViewer();
  const mutations = useSegmentMutations();
  const [name, setName] = useState(segment?.name ?? (preset ? t(`presets.${preset}`) : ''));
  const [description, setDescription] = useState(segment?.description ?? '');
  const [shared, setShared] = useState(segment?.shared ?? false);
  const [draft, setDraft] = useState<GroupDraft>(() => fromRules(segment?.rules ?? (preset ? PRESETS[preset] : {})));
  const [nameError, setNameError] = useState<string>();
  const [saveError, setSaveError] = useState<{ id?: string; message: string }>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [exporting, setExporting] = useState(false);
  const rules = useMemo(() => toRules(draft), [draft]);
  const preview = useSegmentPreview(rules);

  const owned = segment !== undefined && segment.owner_id === viewer.userId;
  const mayCreate = can(viewer, 'createSegments');
  const mayEdit = owned && can(viewer, 'editSegments', { authorIds: [segment.owner_id] });
  const previewError = errorOf(preview.error);
  const ruleError =
    previewError?.code === '22023'
      ? { id: idAtPath(draft, previewError.details ?? '') ?? draft.id, message: previewError.message ?? '' }
      : saveError?.id
        ? { id: saveError.id, message: saveError.message }
        : undefined;

  const save = async () => {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 80) {
      setNameError(t('editor.nameRequired'));
      return;
    }
    setNameError(undefined);
    setSaveError(undefined);
    const input = { name: trimmed, description: description.trim(), shared, rules };
    try {
      const saved = mayEdit
        ? await mutations.update.mutateAsync({ id: segment.id, input })
        : await mutations.create.mutateAsync({ ...input, preset: preset ?? segment?.preset ?? null });
      toast.success(t('editor.saved', { name: saved.name }));
      onSaved(saved);
    } catch (error) {
      const failure = errorOf(error);
      if (failure?.code === '23505') setNameError(t('editor.duplicateName'));
      else if (failure?.code === '22023')
        setSaveError({ id: idAtPath(draft, failure.details ?? '') ?? draft.id, message: failure.message ?? '' });
      else setSaveError({ message: t('editor.saveFailed') });
    }
  };

  const exportCsv = async () => {
    if (!segment) return;
    setExporting(true);
    try {
      const file = await exportSegmentCsv(segment.id, csvHeaders(t));
      downloadCsv(file.csv, `segment-${slugOf(segment.name)}.csv`);
      toast.success(t(file.capped ? 'export.capped' : 'export.done', { count: file.rowCount }));
    } catch {
      toast.error(t('export.failed'));
    } finally {
      setExporting(false);
    }
  };

  const heading = segment ? segment.name : preset ? t(`presets.${preset}`) : t('editor.newTitle');
  return (
    <Card title={heading}>
      <div className={styles.editor}>
        {preset ? <p className={styles.hint}>{t(`presetDescriptions.${preset}`)}</p> : null}
        {segment && !owned ? <p className={styles.hint}>{t('editor.sharedByOther')}</p> : null}
        <div className={styles.meta}>
          <TextField
            label={t('editor.name')}
            value={name}
            maxLength={80}
            error={nameError}
            disabled={!mayCreate}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <TextField
            label={t('editor.description')}
            value={description}
            maxLength={500}
            disabled={!mayCreate}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <Checkbox
            label={t('editor.shared')}
            checked={shared}
            disabled={!mayCreate}
            onChange={(event) => setShared(event.currentTarget.checked)}
          />
        </div>
        <RuleBuilder rules={draft} onChange={setDraft} error={ruleError} />
        <SegmentPreview preview={preview} />
        {saveError && !saveError.id ? (
          <p className="field-error" role="alert">
            {saveError.message}
          </p>
        ) : null}
        <div className={styles.actions}>
          {mayCreate ? (
            <Button
              onClick={() => void save()}
              pending={mutations.create.isPending || mutations.update.isPending}
              pendingLabel={t('editor.saving')}
            >
              <Save aria-hidden="true" size={16} />
              {mayEdit ? t('editor.save') : segment ? t('editor.saveCopy') : t('editor.saveNew')}
            </Button>
          ) : null}
          {segment ? (
            <>
              <Link className="button button-secondary" to={`/customers?segment=${segment.id}`}>
                <ListFilter aria-hidden="true" size={16} />
                {t('editor.openInList')}
              </Link>
              <Button
                variant="secondary"
                onClick={() => void exportCsv()}
                pending={exporting}
                pendingLabel={t('export.working')}
              >
                <Download aria-hidden="true" size={16} />
                {t('editor.export')}
              </Button>
            </>
          ) : null}
          {mayEdit ? (
            <Button variant="secondary" onClick={() => setConfirmDelete(true)}>
              <Trash2 aria-hidden="true" size={16} />
              {t('editor.delete')}
            </Button>
          ) : null}
        </div>
        {segment ? (
          <ConfirmDialog
            open={confirmDelete}
            onCancel={() => setConfirmDelete(false)}
            title={t('editor.deleteTitle', { name: segment.name })}
            description={t('editor.deleteDescription')}
            confirmLabel={t('editor.delete')}
            pending={mutations.remove.isPending}
            pendingLabel={t('editor.deleting')}
            onConfirm={() =>
              void mutations.remove.mutateAsync(segment.id).then(
                () => {
                  setConfirmDelete(false);
                  toast.success(t('editor.deleted', { name: segment.name }));
                  onDeleted();
                },
                () => toast.error(t('editor.deleteFailed')),
              )
            }
          />
        ) : null}
      </div>
    </Card>
  );
}

function SegmentPreview({ preview }: { preview: ReturnType<typeof useSegmentPreview> }) {
  const { t } = useTranslation('segments');
  const viewer = useViewer();
  const language = usePreferencesStore((state) => state.language);
  const currency = useQuery(baseCurrencyOptions());
  const error = errorOf(preview.error);
  return (
    <section aria-label={t('preview.label')} aria-busy={preview.isFetching || preview.settling}>
      <p role="status" aria-live="polite">
        {preview.data && !error ? (
          <span className={styles.count}>{t('preview.count', { count: preview.data.count })}</span>
        ) : error && error.code !== '22023' ? (
          t('preview.failed')
        ) : error ? (
          t('preview.fixRule')
        ) : (
          t('preview.counting')
        )}
      </p>
      {preview.data && !error && preview.data.sample.length > 0 ? (
        <Table
          className={styles.sample}
          caption={t('preview.sampleCaption')}
          columns={[
            { label: t('preview.name') },
            { label: t('preview.country') },
            { label: t('preview.ltv') },
            { label: t('preview.orders') },
            { label: t('preview.lastOrder') },
          ]}
        >
          {preview.data.sample.map((row) => (
            <tr key={row.id}>
              <td>
                <Link to={`/customers/${row.id}`}>{row.full_name ?? row.email ?? t('preview.unnamed')}</Link>
              </td>
              <td>{row.country ?? '—'}</td>
              <td>
                {currency.data
                  ? formatMoney(row.lifetime_value, currency.data, language)
                  : formatNumber(row.lifetime_value, language)}
              </td>
              <td>{formatNumber(row.order_count, language)}</td>
              <td>
                {row.last_order_at ? formatDate(row.last_order_at, { timeZone: viewer.timeZone, language }) : '—'}
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}

/** Seed 000's back-office list: newsletter opt-ins with email, sign-up date and styles. */
function NewsletterExport() {
  const { t } = useTranslation('segments');
  const [style, setStyle] = useState('');
  const [working, setWorking] = useState(false);
  const run = async () => {
    setWorking(true);
    try {
      const file = await exportNewsletterOptins(style, {
        email: t('newsletter.columns.email'),
        name: t('newsletter.columns.name'),
        signedUpAt: t('newsletter.columns.signedUpAt'),
        subscribedAt: t('newsletter.columns.subscribedAt'),
        styleInterests: t('newsletter.columns.styleInterests'),
        country: t('newsletter.columns.country'),
        language: t('newsletter.columns.language'),
      });
      downloadCsv(file.csv, style.trim() ? `newsletter-optins-${slugOf(style)}.csv` : 'newsletter-optins.csv');
      toast.success(t(file.capped ? 'export.capped' : 'export.done', { count: file.rowCount }));
    } catch {
      toast.error(t('export.failed'));
    } finally {
      setWorking(false);
    }
  };
  return (
    <Card title={t('newsletter.title')}>
      <p className={styles.hint}>{t('newsletter.description')}</p>
      <div className={styles.actions}>
        <TextField
          label={t('newsletter.style')}
          value={style}
          maxLength={100}
          placeholder={t('newsletter.stylePlaceholder')}
          onChange={(event) => setStyle(event.currentTarget.value)}
        />
        <Button
          variant="secondary"
          className={styles.remove}
          onClick={() => void run()}
          pending={working}
          pendingLabel={t('export.working')}
        >
          <Download aria-hidden="true" size={16} />
          {t('newsletter.download')}
        </Button>
      </div>
    </Card>
  );
}

const slugOf = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'export';

function csvHeaders(t: (key: string) => string): Record<string, string> {
  const columns = [
    'id',
    'name',
    'email',
    'phone',
    'company',
    'country',
    'city',
    'status',
    'stage',
    'owner',
    'tags',
    'lifetimeValue',
    'currency',
    'orders',
    'lastOrderAt',
    'createdAt',
  ];
  return Object.fromEntries(columns.map((column) => [column, t(`export.columns.${column}`)]));
}
