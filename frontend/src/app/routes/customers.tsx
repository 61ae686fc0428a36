import { Users } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

export function CustomersRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.customers')}
      icon={Users}
      emptyTitle={t('sections.customers.emptyTitle')}
      emptyDescription={t('sections.customers.emptyDescription')}
    />
  );
}
