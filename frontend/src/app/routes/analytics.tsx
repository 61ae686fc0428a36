import { BarChart3 } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

export function AnalyticsRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.analytics')}
      icon={BarChart3}
      emptyTitle={t('sections.analytics.emptyTitle')}
      emptyDescription={t('sections.analytics.emptyDescription')}
    />
  );
}
