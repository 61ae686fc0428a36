import { LayoutDashboard } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

export function DashboardRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.dashboard')}
      icon={LayoutDashboard}
      emptyTitle={t('sections.dashboard.emptyTitle')}
      emptyDescription={t('sections.dashboard.emptyDescription')}
    />
  );
}
