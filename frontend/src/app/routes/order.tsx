import { useParams } from 'react-router-dom';

import { OrderDetailPage } from '@/features/orders/components/order-detail.tsx';

/** One order: its items, amounts, status and customer. */
export function OrderRoute() {
  const { orderId = '' } = useParams();
  return <OrderDetailPage key={orderId} orderId={orderId} />;
}
