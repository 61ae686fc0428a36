import { ShoppingBag } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { NextPageButton } from '@/components/ui/next-page-button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';

import { orderKeys } from '../api/orders.ts';
import { useBaseCurrency, useOrders } from '../hooks/use-orders.ts';
import { OrdersTableSkeleton } from './orders-table-skeleton.tsx';
import { OrdersTable } from './orders-table.tsx';

/** The query keys CustomerOrders reads, so the 360's realtime channel can refresh them. */
export const customerOrdersKeys = (customerId: string) => [orderKeys.forCustomer(customerId)] as const;

/** One customer's orders, newest first, for the Orders tab of the customer 360. */
export function CustomerOrders({ customerId }: { customerId: string }) {
  const { t } = useTranslation('orders');
  const orders = useOrders({ customerId });
  const baseCurrency = useBaseCurrency();
  if (orders.isPending) return <OrdersTableSkeleton rows={3} />;
  if (orders.isError) return <ErrorState description={t('loadFailed')} onRetry={() => void orders.refetch()} />;
  const rows = orders.data.pages.flatMap((page) => page.orders);
  if (rows.length === 0) {
    return (
      <EmptyState
        icon={ShoppingBag}
        title={t('customerEmptyTitle')}
        description={t('customerEmptyDescription')}
        headingLevel={2}
      />
    );
  }
  return (
    <div className="orders-results">
      <OrdersTable orders={rows} baseCurrency={baseCurrency.data} showCustomer={false} caption={t('customerCaption')} />
      <NextPageButton query={orders} className="orders-more" pendingLabel={t('loadingMore')}>
        {t('showMore')}
      </NextPageButton>
    </div>
  );
}
