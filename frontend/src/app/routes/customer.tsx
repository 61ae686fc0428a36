import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';

import { Customer360Page } from '@/features/customer-360/components/customer-360-page.tsx';
import { MessagesPanel } from '@/features/conversations/components/messages-panel.tsx';
import { CustomerOrders, customerOrdersKeys } from '@/features/orders/components/customer-orders.tsx';
import { CustomerDeals } from '@/features/pipeline/components/customer-deals.tsx';

/**
 * Customer 360: the customer feature's page, with the orders feature's list in its Orders tab and
 * the conversations feature's threads in its Messages tab and the pipeline feature's deals in its
 * Deals tab.
 */
export function CustomerRoute() {
  const { customerId = '' } = useParams();
  const { t: tPipeline } = useTranslation('pipeline');
  const { t: tMessages } = useTranslation('messages');
  return (
    <Customer360Page
      // A new customer is a new page: tabs, dialogs and scroll start afresh.
      key={customerId}
      customerId={customerId}
      orders={<CustomerOrders customerId={customerId} />}
      ordersQueryKeys={customerOrdersKeys(customerId)}
      messages={{ label: tMessages('tab'), panel: <MessagesPanel customerId={customerId} /> }}
      deals={{
        label: tPipeline('customer.tab'),
        render: (customer) => (
          <CustomerDeals customerId={customer.id} customerName={customer.name} ownerId={customer.ownerId} />
        ),
      }}
    />
  );
}
