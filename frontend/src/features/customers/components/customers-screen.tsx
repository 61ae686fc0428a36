import { ChevronLeft, ChevronRight, Download, Plus, SearchX, Users } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { can as may } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import { cursorValue } from '../api/customers.ts';
import { useCustomerList } from '../hooks/use-customer-list.ts';
import { useExportCustomers } from '../hooks/use-export-customers.ts';
import { useListParams } from '../hooks/use-list-params.ts';
import { useBaseCurrency, useReferenceData } from '../hooks/use-reference-data.ts';
import { useSelection } from '../hooks/use-selection.ts';
import {
  DEFAULT_DIRECTION,
  FILTER_KEYS,
  hasActiveFilters,
  serializeListParams,
  type SortKey,
} from '../utils/list-params.ts';
import { abilitiesOf, listScopeOf } from '../utils/abilities.ts';

import { BulkActionsBar } from './bulk-actions-bar.tsx';
import { CustomerFilters } from './customer-filters.tsx';
import { CustomerFormDialog } from './customer-form-dialog.tsx';
import { CustomerSearch } from './customer-search.tsx';
import { CustomersTable, CustomersTableSkeleton } from './customers-table.tsx';
import { SavedViews } from './saved-views.tsx';
import { SegmentActionsBar } from './segment-actions-bar.tsx';
import './customers.css';

type FormState = { open: false } | { open: true; customerId: string | null };

/** The customers list: search, filters, sort and pages from the URL, over the customer_list view. */
export function CustomersScreen() {
  const { t } = useTranslation('customers');
  const viewer = useViewer();
  const can = abilitiesOf(viewer.role);
  const { params, update, replaceAll } = useListParams();
  const scope = listScopeOf(viewer);
  const list = useCustomerList(params, scope);
  const reference = useReferenceData();
  const baseCurrency = useBaseCurrency().data;
  const exporter = useExportCustomers();
  const [form, setForm] = useState<FormState>({ open: false });
  const filtered = hasActiveFilters(params);
  const page = list.data;
  const rows = page?.rows ?? [];
  // A selection belongs to the page it was made on: another page, filter or sort starts afresh.
  const selection = useSelection(serializeListParams(params).toString(), rows);

  const clearFilters = () => update({ q: '', ...Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])) });

  const sortBy = (sort: SortKey) =>
    update({ sort, dir: params.sort === sort ? (params.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIRECTION[sort] });

  const exportCsv = async (ids?: string[]) => {
    try {
      const result = await exporter.mutateAsync({ params, ids });
      toast.success(
        result.capped ? t('export.capped', { count: result.count }) : t('export.done', { count: result.count }),
      );
    } catch {
      toast.error(t('export.failed'));
    }
  };

  const content = () => {
    // Also after a filter change: the previous page must not stay on screen as if it were the answer.
    if (list.isError) return <ErrorState description={t('errors.load')} onRetry={() => void list.refetch()} />;
    if (!page || !baseCurrency) return <CustomersTableSkeleton />;
    if (rows.length === 0 && !params.after && !params.before) {
      return filtered ? (
        <EmptyState
          icon={SearchX}
          title={t('empty.noMatchTitle')}
          description={t('empty.noMatchDescription')}
          action={
            <Button variant="secondary" onClick={clearFilters}>
              {t('filters.clear')}
            </Button>
          }
        />
      ) : (
        <EmptyState
          icon={Users}
          title={t('empty.noneTitle')}
          description={can.create ? t('empty.noneDescription') : t('empty.noneDescriptionReadonly')}
          action={
            can.create ? (
              <Button onClick={() => setForm({ open: true, customerId: null })}>{t('actions.create')}</Button>
            ) : undefined
          }
        />
      );
    }
    return (
      <>
        {selection.ids.length > 0 && reference.data ? (
          <BulkActionsBar
            selectedIds={selection.ids}
            reference={reference.data}
            can={can}
            exporting={exporter.isPending && exporter.variables?.ids !== undefined}
            onExport={() => void exportCsv(selection.ids)}
            onClear={selection.clear}
          />
        ) : params.segment && can.bulkEdit && reference.data ? (
          <SegmentActionsBar segmentId={params.segment} reference={reference.data} can={can} />
        ) : null}
        <CustomersTable
          rows={rows}
          params={params}
          baseCurrency={baseCurrency}
          onSort={sortBy}
          busy={list.isPlaceholderData}
          selection={selection}
          edit={
            can.create
              ? {
                  allowed: (row) => may(viewer, 'editCustomers', { ownerId: row.owner_id }),
                  open: (row) => setForm({ open: true, customerId: row.id }),
                }
              : undefined
          }
        />
        <nav className="pagination" aria-label={t('pagination.label')}>
          <Button
            variant="secondary"
            disabled={!page.hasPrevious}
            onClick={() => {
              const first = rows[0];
              if (first) update({ before: { value: cursorValue(first, params), id: first.id } }, { keepPage: true });
            }}
          >
            <ChevronLeft aria-hidden="true" size={16} />
            {t('pagination.previous')}
          </Button>
          <Button
            variant="secondary"
            disabled={!page.hasNext}
            onClick={() => {
              const last = rows.at(-1);
              if (last)
                update(
                  { after: { value: cursorValue(last, params), id: last.id }, before: undefined },
                  { keepPage: true },
                );
            }}
          >
            {t('pagination.next')}
            <ChevronRight aria-hidden="true" size={16} />
          </Button>
        </nav>
      </>
    );
  };

  return (
    <>
      <div className="customers-toolbar">
        <CustomerSearch value={params.q} onSearch={(q) => update({ q }, { replace: true })} />
        <div className="customers-toolbar-actions">
          {can.export ? (
            <Button
              variant="secondary"
              disabled={!page || rows.length === 0}
              pending={exporter.isPending && exporter.variables?.ids === undefined}
              pendingLabel={t('export.working')}
              onClick={() => void exportCsv()}
            >
              <Download aria-hidden="true" size={16} />
              {t('export.all')}
            </Button>
          ) : null}
          {can.create ? (
            <Button onClick={() => setForm({ open: true, customerId: null })}>
              <Plus aria-hidden="true" size={16} />
              {t('actions.create')}
            </Button>
          ) : null}
        </div>
      </div>
      <SavedViews params={params} onApply={replaceAll} />
      <CustomerFilters
        filters={params}
        reference={reference.data}
        showOwner={!can.ownCustomersOnly}
        onChange={(changes) => update(changes)}
      />
      <div className="customers-summary">
        <p role="status" aria-live="polite">
          {page && rows.length > 0 && page.total !== null ? t('summary.count', { count: page.total }) : null}
        </p>
        {filtered ? (
          <Button variant="secondary" onClick={clearFilters}>
            {t('filters.clear')}
          </Button>
        ) : null}
      </div>
      {content()}
      <CustomerFormDialog
        open={form.open}
        customerId={form.open ? form.customerId : null}
        onOpenChange={(open) => {
          if (!open) setForm({ open: false });
        }}
      />
    </>
  );
}
