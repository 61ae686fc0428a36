import { useTranslation } from 'react-i18next';

import type { FinancialStatus, FulfillmentStatus } from '../api/orders.ts';

const TONES: Record<string, string> = {
  paid: 'good',
  fulfilled: 'good',
  partially_paid: 'warn',
  partially_refunded: 'warn',
  partially_fulfilled: 'warn',
  authorized: 'warn',
  pending: 'neutral',
  unfulfilled: 'neutral',
  refunded: 'bad',
  voided: 'bad',
  restocked: 'bad',
  cancelled: 'bad',
};

/** Payment state as a badge; a cancelled order says so whatever its payment state. */
export function FinancialBadge({ status, cancelled }: { status: FinancialStatus; cancelled?: boolean }) {
  const { t } = useTranslation('orders');
  const key = cancelled ? 'cancelled' : status;
  return <span className={`order-badge order-badge-${TONES[key] ?? 'neutral'}`}>{t(`financial.${key}`)}</span>;
}

export function FulfillmentBadge({ status }: { status: FulfillmentStatus }) {
  const { t } = useTranslation('orders');
  return <span className={`order-badge order-badge-${TONES[status] ?? 'neutral'}`}>{t(`fulfillment.${status}`)}</span>;
}
