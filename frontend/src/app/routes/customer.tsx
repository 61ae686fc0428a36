import { UserRound } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

/** Customer 360 (one customer's header, orders, timeline and favourites). */
export function CustomerRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.customers')}
      icon={UserRound}
      emptyTitle={t('sections.customers.emptyTitle')}
      emptyDescription={t('sections.customers.emptyDescription')}
    />
  );
}
