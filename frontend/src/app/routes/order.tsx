import { ShoppingBag } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

/** One order: its items, amounts, status and customer. */
export function OrderRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.orders')}
      icon={ShoppingBag}
      emptyTitle={t('sections.orders.emptyTitle')}
      emptyDescription={t('sections.orders.emptyDescription')}
    />
  );
}
