import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

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

/** Orders as a table: the amount in the base currency first, the original currency beside it. */
export function OrdersTable({ orders, baseCurrency, showCustomer = true, caption }: OrdersTableProps) {
  const { t } = useTranslation('orders');
  const zone = useZoneAndLanguage();
  return (
    <div className="orders-table-wrap">
      <table className="orders-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('columns.order')}</th>
            {showCustomer ? <th scope="col">{t('columns.customer')}</th> : null}
            <th scope="col">{t('columns.placedAt')}</th>
            <th scope="col">{t('columns.payment')}</th>
            <th scope="col">{t('columns.fulfillment')}</th>
            <th scope="col" className="numeric">
              {t('columns.total')}
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <th scope="row">
                <Link to={`/orders/${order.id}`}>{order.order_number}</Link>
              </th>
              {showCustomer ? (
                <td>
                  {order.customer ? (
                    <Link to={`/customers/${order.customer.id}`}>
                      {order.customer.full_name ??
                        order.customer.email ??
                        order.customer.company ??
                        t('unnamedCustomer')}
                    </Link>
                  ) : (
                    <span className="orders-muted">{t('noCustomer')}</span>
                  )}
                </td>
              ) : null}
              <td>
                <time dateTime={order.placed_at}>{formatDateTime(order.placed_at, zone)}</time>
              </td>
              <td>
                <FinancialBadge status={order.financial_status} cancelled={order.cancelled_at !== null} />
              </td>
              <td>
                <FulfillmentBadge status={order.fulfillment_status} />
              </td>
              <td className="numeric">
                <span className="orders-amount">
                  {baseCurrency ? formatMoney(order.total_base, baseCurrency, zone.language) : '…'}
                </span>
                {order.currency !== baseCurrency ? (
                  <span className="orders-muted orders-original">
                    {formatMoney(order.total, order.currency, zone.language)}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
