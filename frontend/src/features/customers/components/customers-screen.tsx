import { ChevronLeft, ChevronRight, SearchX, Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';

import { cursorValue, type ListScope } from '../api/customers.ts';
import { useCustomerList } from '../hooks/use-customer-list.ts';
import { useListParams } from '../hooks/use-list-params.ts';
import { useReferenceData } from '../hooks/use-reference-data.ts';
import { useViewer } from '../hooks/use-viewer.ts';
import { DEFAULT_DIRECTION, FILTER_KEYS, hasActiveFilters, type SortKey } from '../utils/list-params.ts';
import { abilitiesOf } from '../utils/permissions.ts';

import { CustomerFilters } from './customer-filters.tsx';
import { CustomerSearch } from './customer-search.tsx';
import { CustomersTable, CustomersTableSkeleton } from './customers-table.tsx';
import './customers.css';

/** The customers list: search, filters, sort and pages from the URL, over the customer_list view. */
export function CustomersScreen() {
  const { t } = useTranslation('customers');
  const viewer = useViewer();
  const can = abilitiesOf(viewer.role);
  const { params, update } = useListParams();
  const scope: ListScope = can.ownCustomersOnly ? { ownerOnly: viewer.userId } : {};
  const list = useCustomerList(params, scope);
  const reference = useReferenceData();
  const filtered = hasActiveFilters(params);

  const clearFilters = () => update({ q: '', ...Object.fromEntries(FILTER_KEYS.map((key) => [key, undefined])) });

  const sortBy = (sort: SortKey) =>
    update({
      sort,
      dir: params.sort === sort ? (params.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIRECTION[sort],
    });

  const page = list.data;
  const rows = page?.rows ?? [];

  const content = () => {
    if (list.isError && !page) return <ErrorState description={t('errors.load')} onRetry={() => void list.refetch()} />;
    if (!page || !reference.data) return <CustomersTableSkeleton />;
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
        />
      );
    }
    return (
      <>
        <CustomersTable
          rows={rows}
          params={params}
          baseCurrency={reference.data.baseCurrency}
          onSort={sortBy}
          busy={list.isPlaceholderData}
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
      </div>
      {reference.data ? (
        <CustomerFilters
          filters={params}
          reference={reference.data}
          showOwner={!can.ownCustomersOnly}
          onChange={(changes) => update(changes)}
        />
      ) : null}
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
    </>
  );
}
