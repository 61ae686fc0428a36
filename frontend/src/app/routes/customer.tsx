import { useParams } from 'react-router-dom';

import { Customer360Page } from '@/features/customer-360/components/customer-360-page.tsx';
import { CustomerOrders, customerOrdersKeys } from '@/features/orders/components/customer-orders.tsx';
import { useCurrentMember } from '@/features/team/hooks/use-current-member.ts';

/** Customer 360: the customer feature's page, with the orders feature's list in its Orders tab. */
export function CustomerRoute() {
  const { customerId = '' } = useParams();
  // The shell only renders pages for an active member, so the row is already cached here.
  const member = useCurrentMember().data;
  if (!member) return null;
  return (
    <Customer360Page
      // A new customer is a new page: tabs, dialogs and scroll start afresh.
      key={customerId}
      customerId={customerId}
      viewer={{ userId: member.user_id, role: member.role }}
      orders={<CustomerOrders customerId={customerId} />}
      ordersQueryKeys={customerOrdersKeys(customerId)}
    />
  );
}
