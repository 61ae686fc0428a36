import { useTranslation } from 'react-i18next';

import { AnalyticsScreen } from '@/features/analytics/components/analytics-screen.tsx';

import { SectionPage } from '../layout/section-page.tsx';

/** /analytics: the reports, in the viewer's days, as far as they may see the customers. */
export function AnalyticsRoute() {
  const { t } = useTranslation('analytics');
  return (
    <SectionPage title={t('title')}>
      <AnalyticsScreen />
    </SectionPage>
  );
}
