import { useTranslation } from 'react-i18next';

import { OrdersList } from '@/features/orders/components/orders-list.tsx';

import { SectionPage } from '../layout/section-page.tsx';

/** Every order the member may see, filtered, searched and sorted through the URL. */
export function OrdersRoute() {
  const { t } = useTranslation('orders');
  return (
    <SectionPage title={t('title')}>
      <OrdersList />
    </SectionPage>
  );
}
