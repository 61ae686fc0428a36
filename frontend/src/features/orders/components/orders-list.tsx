import { Search, ShoppingBag } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { NextPageButton } from '@/components/ui/next-page-button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { MAX_SEARCH_LENGTH } from '@/lib/search.ts';

import { FINANCIAL_STATUSES, ORDER_SORTS, type OrderSort, type OrderStatusFilter } from '../api/orders.ts';
import { useBaseCurrency, useOrders } from '../hooks/use-orders.ts';
import { readOrderParams, writeOrderParams } from '../utils/search-params.ts';
import { OrdersTableSkeleton } from './orders-table-skeleton.tsx';
import { OrdersTable } from './orders-table.tsx';

const SEARCH_DELAY_MS = 300;

/** All orders the member may see: filter by status, search, sort; every choice lives in the URL. */
export function OrdersList() {
  const { t } = useTranslation('orders');
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readOrderParams(searchParams);
  const orders = useOrders(params);
  const baseCurrency = useBaseCurrency();
  const filtered = params.status !== null || params.search !== '';

  const update = (changes: Parameters<typeof writeOrderParams>[1]) =>
    setSearchParams((current) => writeOrderParams(current, changes), { replace: true });

  const rows = orders.data?.pages.flatMap((page) => page.orders) ?? [];
  return (
    <div className="orders">
      <div className="orders-filters" role="search" aria-label={t('filters.label')}>
        <SearchBox value={params.search} onChange={(search) => update({ search })} />
        <SelectField
          label={t('filters.status')}
          value={params.status ?? ''}
          onChange={(event) => update({ status: (event.target.value || null) as OrderStatusFilter | null })}
          options={[
            { value: '', label: t('filters.allStatuses') },
            ...FINANCIAL_STATUSES.map((status) => ({ value: status, label: t(`financial.${status}`) })),
            { value: 'cancelled', label: t('financial.cancelled') },
          ]}
        />
        <SelectField
          label={t('filters.sort')}
          value={params.sort}
          onChange={(event) => update({ sort: event.target.value as OrderSort })}
          options={ORDER_SORTS.map((sort) => ({ value: sort, label: t(`sorts.${sort}`) }))}
        />
      </div>
      {orders.isPending ? <OrdersTableSkeleton /> : null}
      {orders.isError ? <ErrorState description={t('loadFailed')} onRetry={() => void orders.refetch()} /> : null}
      {orders.isSuccess && rows.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={Search}
            title={t('noMatchesTitle')}
            description={t('noMatchesDescription')}
            action={
              <Button variant="secondary" onClick={() => update({ status: null, search: '' })}>
                {t('filters.clear')}
              </Button>
            }
          />
        ) : (
          <EmptyState icon={ShoppingBag} title={t('emptyTitle')} description={t('emptyDescription')} />
        )
      ) : null}
      {rows.length > 0 ? (
        <div aria-busy={orders.isFetching && !orders.isFetchingNextPage} className="orders-results">
          <OrdersTable orders={rows} baseCurrency={baseCurrency.data} caption={t('caption')} />
          <NextPageButton query={orders} className="orders-more" pendingLabel={t('loadingMore')}>
            {t('showMore')}
          </NextPageButton>
        </div>
      ) : null}
    </div>
  );
}

/** Typing updates the URL after a short pause, so every keystroke is not a request. */
function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation('orders');
  const id = useId();
  const [draft, setDraft] = useState(value);
  // The latest callback, so a parent re-render does not restart the pause.
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  // The URL can change under us (Back, "Clear filters"): follow it, during render rather than in
  // an effect, so the field never shows the stale text for a frame.
  const [followed, setFollowed] = useState(value);
  if (followed !== value) {
    setFollowed(value);
    setDraft(value);
  }
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => onChangeRef.current(draft.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, value]);
  return (
    <div className="field orders-search">
      <label htmlFor={id}>{t('filters.search')}</label>
      <input
        id={id}
        type="search"
        value={draft}
        maxLength={MAX_SEARCH_LENGTH}
        placeholder={t('filters.searchPlaceholder')}
        onChange={(event) => setDraft(event.target.value)}
      />
    </div>
  );
}
