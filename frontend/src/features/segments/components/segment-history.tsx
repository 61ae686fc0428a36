import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Camera } from 'lucide-react';
import { lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Card } from '@/components/card.tsx';
import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime, formatIsoDate, isoDateIn } from '@/lib/dates.ts';
import { formatNumber } from '@/lib/format.ts';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  compareSnapshots,
  sizeHistoryOptions,
  snapshotKeys,
  snapshotsOptions,
  takeSnapshot,
  type SnapshotDiff,
} from '../api/segments.ts';
import styles from './segments.module.css';

const SizeChart = lazy(() => import('./size-chart.tsx').then((module) => ({ default: module.SizeChart })));

/** How far back the size chart looks. */
export const HISTORY_DAYS = 90;

function daysBefore(isoDay: string, days: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** Size over the last 90 days (the viewer's days), from the database's join/leave history. */
export function SegmentHistory({ segmentId }: { segmentId: string }) {
  const { t } = useTranslation('segments');
  const viewer = useViewer();
  const language = usePreferencesStore((state) => state.language);
  // The day the screen opened on, in the viewer's zone (fixed for the screen's life).
  const [openedAt] = useState(() => Date.now());
  const today = isoDateIn(openedAt, viewer.timeZone);
  const from = daysBefore(today, HISTORY_DAYS - 1);
  const history = useQuery(sizeHistoryOptions(segmentId, from, today, viewer.timeZone));

  let body;
  if (history.isPending) body = <LoadingState />;
  else if (history.isError) body = <ErrorState onRetry={() => void history.refetch()} />;
  else {
    const days = history.data;
    const first = days[0]?.members ?? 0;
    const last = days.at(-1)?.members ?? 0;
    const joined = days.reduce((sum, day) => sum + day.joined, 0);
    const left = days.reduce((sum, day) => sum + day.left, 0);
    const summary = t('history.summary', {
      from: formatIsoDate(from, language),
      to: formatIsoDate(today, language),
      first: formatNumber(first, language),
      last: formatNumber(last, language),
      joined: formatNumber(joined, language),
      left: formatNumber(left, language),
    });
    const changed = days.filter((day) => day.joined > 0 || day.left > 0);
    body = (
      <>
        <p>{summary}</p>
        <Suspense fallback={<LoadingState />}>
          <SizeChart days={days} language={language} summary={summary} />
        </Suspense>
        <details>
          <summary>{t('history.tableToggle')}</summary>
          {changed.length === 0 ? (
            <p className={styles.hint}>{t('history.noChanges')}</p>
          ) : (
            <Table
              className={styles.sample}
              caption={t('history.tableCaption')}
              columns={[
                { label: t('history.day') },
                { label: t('history.members') },
                { label: t('history.joined') },
                { label: t('history.left') },
              ]}
            >
              {changed.map((day) => (
                <tr key={day.day}>
                  <td>{formatIsoDate(day.day, language)}</td>
                  <td>{formatNumber(day.members, language)}</td>
                  <td>{formatNumber(day.joined, language)}</td>
                  <td>{formatNumber(day.left, language)}</td>
                </tr>
              ))}
            </Table>
          )}
        </details>
      </>
    );
  }
  return (
    <Card title={t('history.title')}>
      <div className={styles.history}>{body}</div>
    </Card>
  );
}

/** Freeze the members under a name, list the snapshots, and compare two of them. */
export function SegmentSnapshots({ segmentId }: { segmentId: string }) {
  const { t } = useTranslation('segments');
  const viewer = useViewer();
  const language = usePreferencesStore((state) => state.language);
  const client = useQueryClient();
  const snapshots = useQuery(snapshotsOptions(segmentId));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [earlier, setEarlier] = useState('');
  const [later, setLater] = useState('');
  const [diff, setDiff] = useState<SnapshotDiff>();
  const earlierId = useId();
  const laterId = useId();
  const take = useMutation({
    mutationFn: (snapshotName: string) => takeSnapshot(segmentId, snapshotName),
    onSuccess: () => client.invalidateQueries({ queryKey: snapshotKeys.of(segmentId) }),
  });
  const compare = useMutation({ mutationFn: () => compareSnapshots(earlier, later), onSuccess: setDiff });
  const mayTake = can(viewer, 'createSegments');

  const submit = async () => {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 80) {
      setNameError(t('snapshots.nameRequired'));
      return;
    }
    setNameError(undefined);
    try {
      await take.mutateAsync(trimmed);
      setName('');
      toast.success(t('snapshots.taken', { name: trimmed }));
    } catch {
      toast.error(t('snapshots.failed'));
    }
  };
  const options = (snapshots.data ?? []).map((snapshot) => (
    <option key={snapshot.id} value={snapshot.id}>
      {t('snapshots.option', {
        name: snapshot.name,
        when: formatDateTime(snapshot.taken_at, { timeZone: viewer.timeZone, language }),
      })}
    </option>
  ));

  return (
    <Card title={t('snapshots.title')}>
      <div className={styles.history}>
        <p className={styles.hint}>{t('snapshots.description')}</p>
        {mayTake ? (
          <div className={styles.actions}>
            <TextField
              label={t('snapshots.name')}
              value={name}
              maxLength={80}
              error={nameError}
              onChange={(event) => setName(event.currentTarget.value)}
            />
            <Button
              variant="secondary"
              className={styles.remove}
              onClick={() => void submit()}
              pending={take.isPending}
              pendingLabel={t('snapshots.taking')}
            >
              <Camera aria-hidden="true" size={16} />
              {t('snapshots.take')}
            </Button>
          </div>
        ) : null}
        {snapshots.isPending ? <LoadingState /> : null}
        {snapshots.isError ? <ErrorState onRetry={() => void snapshots.refetch()} /> : null}
        {snapshots.data && snapshots.data.length === 0 ? <p className={styles.hint}>{t('snapshots.none')}</p> : null}
        {snapshots.data && snapshots.data.length > 0 ? (
          <Table
            className={styles.sample}
            caption={t('snapshots.caption')}
            columns={[{ label: t('snapshots.name') }, { label: t('snapshots.when') }, { label: t('snapshots.count') }]}
          >
            {snapshots.data.map((snapshot) => (
              <tr key={snapshot.id}>
                <td>{snapshot.name}</td>
                <td>{formatDateTime(snapshot.taken_at, { timeZone: viewer.timeZone, language })}</td>
                <td>{formatNumber(snapshot.member_count, language)}</td>
              </tr>
            ))}
          </Table>
        ) : null}
        {snapshots.data && snapshots.data.length > 1 ? (
          <div className={styles.actions}>
            <div className="field">
              <label htmlFor={earlierId}>{t('snapshots.earlier')}</label>
              <select id={earlierId} value={earlier} onChange={(event) => setEarlier(event.currentTarget.value)}>
                <option value="">{t('snapshots.pick')}</option>
                {options}
              </select>
            </div>
            <div className="field">
              <label htmlFor={laterId}>{t('snapshots.later')}</label>
              <select id={laterId} value={later} onChange={(event) => setLater(event.currentTarget.value)}>
                <option value="">{t('snapshots.pick')}</option>
                {options}
              </select>
            </div>
            <Button
              variant="secondary"
              className={styles.remove}
              disabled={!earlier || !later || earlier === later}
              onClick={() => compare.mutate()}
              pending={compare.isPending}
              pendingLabel={t('snapshots.comparing')}
            >
              {t('snapshots.compare')}
            </Button>
          </div>
        ) : null}
        {compare.isError ? (
          <p className="field-error" role="alert">
            {t('snapshots.compareFailed')}
          </p>
        ) : null}
        {diff ? (
          <div role="status">
            <p>{t('snapshots.diff', { added: diff.added, removed: diff.removed })}</p>
            {diff.examples.length > 0 ? (
              <ul>
                {diff.examples.map((example) => (
                  <li key={example.id}>
                    {t(example.change === 'added' ? 'snapshots.added' : 'snapshots.removed', {
                      name: example.name ?? t('preview.unnamed'),
                    })}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
    </Card>
  );
}
