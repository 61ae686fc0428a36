import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Table } from '@/components/ui/table.tsx';
import { StaleRateMark } from '@/components/stale-rate-mark.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { formatMoney } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { OrderSummary } from '../api/orders.ts';
import { FinancialBadge, FulfillmentBadge } from './order-status.tsx';
import './orders.css';

export interface OrdersTableProps {
  orders: OrderSummary[];
  baseCurrency: string | undefined;
  /** Off on a customer's own page, where every row is the same customer. */
  showCustomer?: boolean;
  caption: string;
}

/**
 * Orders as a table: number and date, customer, payment and shipping, the amount in the base
 * currency with the original currency under it. On phones the customer moves under the order
 * number, so the total stays in view without scrolling sideways.
 */
export function OrdersTable({ orders, baseCurrency, showCustomer = true, caption }: OrdersTableProps) {
  const { t } = useTranslation('orders');
  const zone = useZoneAndLanguage();
  const nameOf = (order: OrderSummary) =>
    order.customer
      ? (order.customer.full_name ?? order.customer.email ?? order.customer.company ?? t('unnamedCustomer'))
      : t('noCustomer');
  return (
    <div className="orders-table-wrap">
      <Table
        className="orders-table"
        caption={caption}
        columns={[
          { label: t('columns.order') },
          showCustomer ? { label: t('columns.customer'), className: 'orders-customer-column' } : null,
          { label: t('columns.status') },
          { label: t('columns.total'), className: 'numeric' },
        ]}
      >
        {orders.map((order) => (
          <tr key={order.id}>
            <th scope="row">
              <Link to={`/orders/${order.id}`}>{order.order_number}</Link>
              {showCustomer ? <span className="orders-customer-inline">{nameOf(order)}</span> : null}
              <time dateTime={order.placed_at} className="orders-muted orders-placed">
                {formatDateTime(order.placed_at, zone)}
              </time>
            </th>
            {showCustomer ? (
              <td className="orders-customer-column">
                {order.customer ? (
                  <Link to={`/customers/${order.customer.id}`}>{nameOf(order)}</Link>
                ) : (
                  <span className="orders-muted">{nameOf(order)}</span>
                )}
              </td>
            ) : null}
            <td>
              <span className="orders-statuses">
                <FinancialBadge status={order.financial_status} cancelled={order.cancelled_at !== null} />
                <FulfillmentBadge status={order.fulfillment_status} />
              </span>
            </td>
            <td className="numeric">
              <span className="orders-amount">
                {baseCurrency ? formatMoney(order.total_base, baseCurrency, zone.language) : '…'}
                <StaleRateMark stale={order.exchange_rate_stale} rateDate={order.exchange_rate_date} />
              </span>
              {order.currency !== baseCurrency ? (
                <span className="orders-muted orders-original">
                  {formatMoney(order.total, order.currency, zone.language)}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
