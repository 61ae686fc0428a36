import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { History } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { teamMemberNamesOptions } from '@/api/team-members.ts';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { NextPageButton } from '@/components/ui/next-page-button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { Table } from '@/components/ui/table.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import {
  AUDIT_ACTIONS,
  auditEntriesOptions,
  EMPTY_AUDIT_FILTERS,
  exportsOptions,
  type AuditEntry,
  type AuditFilters,
} from '../api/audit.ts';
import styles from './audit-log.module.css';

const FILTER_KEYS = Object.keys(EMPTY_AUDIT_FILTERS) as (keyof AuditFilters)[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters in the URL (so a link from a customer can open their trail), cleaned. */
function filtersFrom(params: URLSearchParams): AuditFilters {
  const read = (key: keyof AuditFilters) => params.get(key) ?? '';
  const action = read('action');
  return {
    actor: UUID.test(read('actor')) ? read('actor') : '',
    action: (AUDIT_ACTIONS as readonly string[]).includes(action) ? (action as AuditFilters['action']) : '',
    table: /^[a-z_.]{1,100}$/.test(read('table')) ? read('table') : '',
    customer: UUID.test(read('customer')) ? read('customer') : '',
    from: DAY.test(read('from')) ? read('from') : '',
    to: DAY.test(read('to')) ? read('to') : '',
  };
}

const show = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value));

/** What an entry changed: column, before → after for an update; the row for an insert or delete. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation('portal');
  const changes = (entry.changes ?? {}) as Record<string, unknown>;
  const keys = Object.keys(changes);
  if (keys.length === 0) return <span className={styles.muted}>{t('audit.noChange')}</span>;
  return (
    <>
      <dl className={styles.changes}>
        {keys.slice(0, 12).map((key) => {
          const value = changes[key] as { before?: unknown; after?: unknown } | unknown;
          return (
            <div key={key} className={styles.pair}>
              <dt>{key}</dt>
              <dd>
                {entry.action === 'UPDATE' && value && typeof value === 'object'
                  ? t('audit.fromTo', {
                      before: show((value as { before?: unknown }).before),
                      after: show((value as { after?: unknown }).after),
                    })
                  : show(value)}
              </dd>
            </div>
          );
        })}
      </dl>
      {keys.length > 12 ? <p className={styles.muted}>{t('audit.more', { count: keys.length - 12 })}</p> : null}
    </>
  );
}

/**
 * Settings → Audit log (admins): who did what, when — filtered by person, action, table, customer
 * and days in the viewer's zone, 50 entries at a time, each with what changed; and the latest
 * exports. Read-only; the database refuses anyone but admins.
 */
export function AuditLog() {
  const { t } = useTranslation('portal');
  const zone = useZoneAndLanguage();
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const members = useQuery(teamMemberNamesOptions());
  const entries = useInfiniteQuery(auditEntriesOptions(filters, zone.timeZone));

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) if (draft[key]) next.set(key, draft[key]);
    setParams(next, { replace: true });
  };
  const set = (key: keyof AuditFilters) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [key]: event.target.value }));

  const rows = entries.data?.pages.flat() ?? [];
  return (
    <>
      <section className="settings-section" aria-labelledby="audit-heading">
        <h2 id="audit-heading">{t('audit.heading')}</h2>
        <form className={styles.filters} aria-label={t('audit.filters')} onSubmit={apply}>
          <SelectField
            label={t('audit.actor')}
            value={draft.actor}
            onChange={set('actor')}
            options={[
              { value: '', label: t('audit.anyone') },
              ...(members.data ?? []).map((member) => ({ value: member.user_id, label: member.full_name })),
            ]}
          />
          <SelectField
            label={t('audit.action')}
            value={draft.action}
            onChange={set('action')}
            options={[
              { value: '', label: t('audit.anyAction') },
              ...AUDIT_ACTIONS.map((action) => ({ value: action, label: t(`audit.actions.${action}`) })),
            ]}
          />
          <TextField label={t('audit.table')} value={draft.table} onChange={set('table')} placeholder="customers" />
          <TextField label={t('audit.from')} type="date" value={draft.from} onChange={set('from')} />
          <TextField label={t('audit.to')} type="date" value={draft.to} onChange={set('to')} />
          <Button type="submit" variant="secondary">
            {t('audit.apply')}
          </Button>
        </form>
        {filters.customer ? (
          <p>
            {t('audit.customerFilter', { id: filters.customer })}{' '}
            <Button
              variant="secondary"
              onClick={() => {
                const next = new URLSearchParams(params);
                next.delete('customer');
                setDraft((current) => ({ ...current, customer: '' }));
                setParams(next, { replace: true });
              }}
            >
              {t('audit.clearCustomer')}
            </Button>
          </p>
        ) : null}
        {entries.isPending ? (
          <Skeleton lines={5} label={t('audit.loading')} />
        ) : entries.isError ? (
          <ErrorState description={t('audit.loadFailed')} onRetry={() => void entries.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState icon={History} title={t('audit.empty')} description={t('audit.emptyDescription')} />
        ) : (
          <>
            <Table
              className={styles.table}
              caption={t('audit.caption')}
              columns={[
                { label: t('audit.columns.when') },
                { label: t('audit.columns.who') },
                { label: t('audit.columns.what') },
                { label: t('audit.columns.changes') },
              ]}
            >
              {rows.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.occurred_at, zone)}</td>
                  <td>{entry.actor_name ?? t('audit.system', { role: entry.actor_role })}</td>
                  <td>
                    {t(`audit.actions.${entry.action}`, { defaultValue: entry.action })} · {entry.table_name}
                    <br />
                    <span className={styles.muted}>{entry.row_id}</span>
                  </td>
                  <td>
                    <Changes entry={entry} />
                  </td>
                </tr>
              ))}
            </Table>
            <NextPageButton query={entries} className={styles.more} pendingLabel={t('audit.loadingMore')}>
              {t('audit.showMore')}
            </NextPageButton>
          </>
        )}
      </section>
      <ExportsList />
    </>
  );
}

function ExportsList() {
  const { t } = useTranslation('portal');
  const zone = useZoneAndLanguage();
  const exports = useQuery(exportsOptions());
  return (
    <section className="settings-section" aria-labelledby="exports-heading">
      <h2 id="exports-heading">{t('audit.exports.heading')}</h2>
      {exports.isPending ? (
        <Skeleton lines={3} label={t('audit.exports.loading')} />
      ) : exports.isError ? (
        <ErrorState description={t('audit.exports.loadFailed')} onRetry={() => void exports.refetch()} />
      ) : exports.data.length === 0 ? (
        <p>{t('audit.exports.empty')}</p>
      ) : (
        <Table
          className={styles.table}
          caption={t('audit.exports.caption')}
          columns={[
            { label: t('audit.columns.when') },
            { label: t('audit.columns.who') },
            { label: t('audit.exports.kind') },
            { label: t('audit.exports.rows') },
            { label: t('audit.exports.filters') },
          ]}
        >
          {exports.data.map((entry) => (
            <tr key={entry.id}>
              <td>{formatDateTime(entry.exported_at, zone)}</td>
              <td>{entry.actor?.full_name ?? '—'}</td>
              <td>{entry.kind}</td>
              <td>{entry.row_count}</td>
              <td className={styles.muted}>{JSON.stringify(entry.filters)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
