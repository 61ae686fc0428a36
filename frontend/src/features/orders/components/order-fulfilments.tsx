import { ExternalLink, PackageCheck } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { Card } from '@/components/card.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { formatNumber } from '@/lib/format.ts';
import { httpUrl } from '@/lib/safe-url.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { OrderDetail } from '../api/orders.ts';
import styles from './order-fulfilments.module.css';

type Fulfilment = OrderDetail['order_fulfillments'][number];
type Item = OrderDetail['order_items'][number];

const STATUSES = ['pending', 'open', 'success', 'cancelled', 'error', 'failure'];
const SHIPMENT_STATUSES = [
  'label_printed',
  'label_purchased',
  'attempted_delivery',
  'ready_for_pickup',
  'confirmed',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'failure',
];

/** What Shopify shipped for an order: each fulfilment's carrier, tracking link, status and items. */
export function OrderFulfilments({ fulfilments, items }: { fulfilments: Fulfilment[]; items: Item[] }) {
  const { t } = useTranslation('fulfilments');
  return (
    <Card className="order-section" title={t('order.title')}>
      {fulfilments.length === 0 ? (
        <p className="orders-muted">{t('order.none')}</p>
      ) : (
        <ul className={styles.list}>
          {fulfilments.map((fulfilment) => (
            <FulfilmentItem key={fulfilment.id} fulfilment={fulfilment} items={items} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function FulfilmentItem({ fulfilment, items }: { fulfilment: Fulfilment; items: Item[] }) {
  const { t } = useTranslation('fulfilments');
  const zone = useZoneAndLanguage();
  const href = httpUrl(fulfilment.tracking_url);
  const status = fulfilment.status && STATUSES.includes(fulfilment.status) ? fulfilment.status : 'unknown';
  const shipment =
    fulfilment.shipment_status && SHIPMENT_STATUSES.includes(fulfilment.shipment_status)
      ? t(`order.shipmentStatus.${fulfilment.shipment_status}`)
      : null;
  const lines = Array.isArray(fulfilment.line_items)
    ? (fulfilment.line_items as Array<{ lineItemId?: number; quantity?: number }>)
    : [];
  const titleOf = (lineItemId: number | undefined) => {
    const item = items.find((candidate) => candidate.external_id === lineItemId);
    if (!item) return t('order.unknownItem', { id: lineItemId ?? '?' });
    return item.variant_title ? `${item.title} · ${item.variant_title}` : item.title;
  };
  return (
    <li className={styles.item}>
      <div className={styles.heading}>
        <PackageCheck aria-hidden="true" size={16} />
        <span className="orders-strong">{fulfilment.name ?? t('order.shipment')}</span>
        <span className={styles.status} data-status={status}>
          {t(`order.status.${status}`)}
        </span>
        {shipment ? <span className={styles.status}>{shipment}</span> : null}
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>{t('order.carrier')}</dt>
          <dd>{fulfilment.tracking_company ?? t('order.noCarrier')}</dd>
        </div>
        <div>
          <dt>{t('order.tracking')}</dt>
          <dd>
            {href ? (
              <a href={href} target="_blank" rel="noreferrer noopener">
                {fulfilment.tracking_number ?? t('order.trackParcel')}
                <ExternalLink aria-hidden="true" size={14} />{' '}
                <span className="visually-hidden">{t('order.opensInNewTab')}</span>
              </a>
            ) : fulfilment.tracking_number ? (
              <>
                {fulfilment.tracking_number}
                {fulfilment.tracking_url ? <span className="orders-muted"> · {t('order.linkNotShown')}</span> : null}
              </>
            ) : (
              t('order.noTracking')
            )}
          </dd>
        </div>
        <div>
          <dt>{t('order.created')}</dt>
          <dd>{fulfilment.external_created_at ? formatDateTime(fulfilment.external_created_at, zone) : '—'}</dd>
        </div>
        <div>
          <dt>{t('order.updated')}</dt>
          <dd>{formatDateTime(fulfilment.external_updated_at, zone)}</dd>
        </div>
      </dl>
      {lines.length ? (
        <ul className={styles.lines} aria-label={t('order.items')}>
          {lines.map((line) => (
            <li key={String(line.lineItemId)}>
              {t('order.itemLine', {
                quantity: formatNumber(line.quantity ?? 0, zone.language),
                title: titleOf(line.lineItemId),
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p className="orders-muted">{t('order.itemsUnknown')}</p>
      )}
    </li>
  );
}
