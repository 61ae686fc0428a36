import { ArrowLeft, ExternalLink, PackageX } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { SkeletonBlock } from '@/components/ui/skeleton.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { displayNameOf, formatMoney, formatNumber } from '@/lib/format.ts';
import { httpUrl } from '@/lib/safe-url.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { Card } from '@/components/card.tsx';
import { StaleRateMark } from '@/components/stale-rate-mark.tsx';

import type { OrderDetail as Order } from '../api/orders.ts';
import { useBaseCurrency, useOrder } from '../hooks/use-orders.ts';
import { OrderFulfilments } from './order-fulfilments.tsx';
import { FinancialBadge, FulfillmentBadge } from './order-status.tsx';
import './orders.css';

const BackToOrders = () => {
  const { t } = useTranslation('orders');
  return (
    <Link to="/orders" className="back-link">
      <ArrowLeft aria-hidden="true" size={16} />
      {t('backToOrders')}
    </Link>
  );
};

/** One order: who, what, how much in both currencies and at which rate, where it is, refunds. */
export function OrderDetailPage({ orderId }: { orderId: string }) {
  const { t } = useTranslation('orders');
  const order = useOrder(orderId);
  const baseCurrency = useBaseCurrency();
  const title = order.data ? t('detail.heading', { number: order.data.order_number }) : t('detail.title');
  useEffect(() => {
    document.title = `${title} · Cairn`;
  }, [title]);
  if (order.isPending) {
    return (
      <div className="order-detail" role="status" aria-label={t('loading')}>
        <SkeletonBlock width="6rem" />
        <SkeletonBlock width="14rem" height="2rem" />
        <SkeletonBlock height="8rem" />
        <SkeletonBlock height="12rem" />
      </div>
    );
  }
  if (order.isError) {
    return (
      <>
        <BackToOrders />
        <h1 className="page-title">{t('detail.title')}</h1>
        <ErrorState description={t('detail.loadFailed')} onRetry={() => void order.refetch()} />
      </>
    );
  }
  if (!order.data) {
    return (
      <>
        <BackToOrders />
        <h1 className="page-title">{t('detail.notFoundTitle')}</h1>
        <EmptyState icon={PackageX} title={t('detail.notFoundHeading')} description={t('detail.notFoundDescription')} />
      </>
    );
  }
  return <OrderView order={order.data} baseCurrency={baseCurrency.data} />;
}

export function OrderView({ order, baseCurrency }: { order: Order; baseCurrency: string | undefined }) {
  const { t } = useTranslation('orders');
  const zone = useZoneAndLanguage();
  const money = (amount: number, currency = order.currency) => formatMoney(amount, currency, zone.language);
  const base = (amount: number) => (baseCurrency ? money(amount, baseCurrency) : '…');
  const foreign = baseCurrency !== undefined && order.currency !== baseCurrency;
  // Only an http(s) address is a link (a tracking URL is data from outside).
  const trackingHref = httpUrl(order.tracking_url);
  const address = [
    order.shipping_name,
    order.shipping_address1,
    order.shipping_address2,
    [order.shipping_postal_code, order.shipping_city].filter(Boolean).join(' '),
    order.shipping_region,
    displayNameOf('region', order.shipping_country, zone.language),
  ].filter((line): line is string => Boolean(line));

  return (
    <div className="order-detail">
      <BackToOrders />
      <header className="order-header">
        <h1 className="order-title">{t('detail.heading', { number: order.order_number })}</h1>
        <div className="order-badges">
          <FinancialBadge status={order.financial_status} cancelled={order.cancelled_at !== null} />
          <FulfillmentBadge status={order.fulfillment_status} />
        </div>
        <p className="orders-muted">
          {t('detail.placed', { date: formatDateTime(order.placed_at, zone) })}
          {order.shop?.name ? ` · ${order.shop.name}` : ''}
        </p>
      </header>

      <div className="order-grid">
        <Card className="order-section" title={t('detail.customer')}>
          {order.customer ? (
            <p>
              <Link to={`/customers/${order.customer.id}`}>
                {order.customer.full_name ?? order.customer.email ?? order.customer.company ?? t('unnamedCustomer')}
              </Link>
              {order.customer.email && order.customer.full_name ? (
                <span className="orders-muted"> · {order.customer.email}</span>
              ) : null}
            </p>
          ) : (
            <p className="orders-muted">{t('noCustomer')}</p>
          )}
        </Card>

        <Card className="order-section" title={t('detail.amounts')}>
          <dl className="order-amounts">
            <Amount label={t('detail.subtotal')}>{money(order.subtotal)}</Amount>
            {order.discount_total > 0 ? (
              <Amount label={t('detail.discount')}>−{money(order.discount_total)}</Amount>
            ) : null}
            <Amount label={t('detail.shipping')}>{money(order.shipping_total)}</Amount>
            <Amount label={t('detail.tax')}>{money(order.tax_total)}</Amount>
            <Amount label={t('detail.total')} strong>
              {money(order.total)}
            </Amount>
            {foreign ? (
              <>
                <Amount label={t('detail.exchangeRate')}>
                  {t('detail.rate', {
                    from: `1 ${order.currency}`,
                    to: `${formatNumber(order.exchange_rate, zone.language, { maximumFractionDigits: 6 })} ${baseCurrency}`,
                  })}
                </Amount>
                <Amount label={t('detail.totalBase')} strong>
                  {base(order.total_base)}
                  <StaleRateMark stale={order.exchange_rate_stale} rateDate={order.exchange_rate_date} />
                </Amount>
              </>
            ) : null}
            {order.refunded_total > 0 ? (
              <>
                <Amount label={t('detail.refunded')}>−{money(order.refunded_total)}</Amount>
                <Amount label={t('detail.netBase')} strong>
                  {base(order.net_total_base ?? order.total_base - order.refunded_base)}
                  <StaleRateMark stale={order.exchange_rate_stale} rateDate={order.exchange_rate_date} />
                </Amount>
              </>
            ) : null}
          </dl>
          {!order.counts_as_purchase ? <p className="orders-muted">{t('detail.notCounted')}</p> : null}
        </Card>

        <Card className="order-section" title={t('detail.delivery')}>
          {address.length ? (
            <address className="order-address">
              {address.map((line) => (
                <span key={line}>{line}</span>
              ))}
            </address>
          ) : (
            <p className="orders-muted">{t('detail.noAddress')}</p>
          )}
          {order.tracking_number || order.carrier ? (
            <p>
              {t('detail.tracking')}: {order.carrier ? `${order.carrier} · ` : ''}
              {trackingHref ? (
                <a href={trackingHref} target="_blank" rel="noreferrer">
                  {order.tracking_number ?? t('detail.trackParcel')}
                  <ExternalLink aria-hidden="true" size={14} />{' '}
                  <span className="visually-hidden">{t('detail.opensInNewTab')}</span>
                </a>
              ) : (
                order.tracking_number
              )}
            </p>
          ) : (
            <p className="orders-muted">{t('detail.noTracking')}</p>
          )}
          {order.cancelled_at ? (
            <p className="order-cancelled">
              {t('detail.cancelledAt', { date: formatDateTime(order.cancelled_at, zone) })}
              {order.cancel_reason ? ` · ${order.cancel_reason}` : ''}
            </p>
          ) : null}
        </Card>
      </div>

      <Card className="order-section" title={t('detail.items')}>
        {order.order_items.length === 0 ? (
          <p className="orders-muted">{t('detail.noItems')}</p>
        ) : (
          <div className="orders-table-wrap">
            <Table
              className="orders-table"
              caption={t('detail.items')}
              columns={[
                { label: t('detail.product') },
                { label: t('detail.quantity'), className: 'numeric' },
                { label: t('detail.unitPrice'), className: 'numeric' },
                { label: t('detail.lineTotal'), className: 'numeric' },
              ]}
            >
              {order.order_items.map((item) => (
                <tr key={item.id}>
                  <td>
                    {item.product_id ? (
                      <Link className="orders-strong" to={`/products/${item.product_id}`}>
                        {item.title}
                      </Link>
                    ) : (
                      <span className="orders-strong">{item.title}</span>
                    )}
                    {item.variant_title ? <span className="orders-muted"> · {item.variant_title}</span> : null}
                    {item.sku || item.vendor ? (
                      <span className="orders-muted order-item-meta">
                        {[item.vendor, item.sku ? t('detail.sku', { sku: item.sku }) : null]
                          .filter(Boolean)
                          .join(' · ')}
                      </span>
                    ) : null}
                  </td>
                  <td className="numeric">{formatNumber(item.quantity, zone.language)}</td>
                  <td className="numeric">{money(item.unit_price, item.currency)}</td>
                  <td className="numeric">{money(item.total, item.currency)}</td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Card>

      <OrderFulfilments fulfilments={order.order_fulfillments} items={order.order_items} />

      {order.refunds.length ? (
        <Card className="order-section" title={t('detail.refunds')}>
          <ul className="order-refunds">
            {order.refunds.map((refund) => (
              <li key={refund.id}>
                <span className="orders-strong">{money(refund.amount)}</span>
                {foreign ? <span className="orders-muted"> ({base(refund.amount_base)})</span> : null}
                {' · '}
                <time dateTime={refund.refunded_at}>{formatDateTime(refund.refunded_at, zone)}</time>
                {refund.reason ? <span className="orders-muted"> · {refund.reason}</span> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      {order.note ? (
        <Card className="order-section" title={t('detail.note')}>
          <p className="order-note">{order.note}</p>
        </Card>
      ) : null}
    </div>
  );
}

function Amount({ label, strong, children }: { label: string; strong?: boolean; children: ReactNode }) {
  return (
    <div className={strong ? 'orders-strong' : undefined}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
