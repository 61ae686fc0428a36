import { useTranslation } from 'react-i18next';

import { DashboardOverview } from '@/features/dashboard/components/dashboard-overview.tsx';
import { StaleRatesNotice } from '@/features/integrations/components/stale-rates-notice.tsx';
import { can, seesAllCustomers } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { SectionPage } from '../layout/section-page.tsx';

export function DashboardRoute() {
  const { t } = useTranslation('dashboard');
  // The viewer's zone is known before the page renders; reading it from the viewer (not the
  // preferences store, filled a moment later) avoids a first fetch in UTC.
  const viewer = useViewer();
  const timeZone = viewer.timeZone;
  const scope = seesAllCustomers(viewer.role) ? 'team' : 'own';
  return (
    <SectionPage title={t('title')}>
      <p className="dashboard-intro">
        {scope === 'own' ? t('intro.agent', { timeZone }) : t('intro.team', { timeZone })}
      </p>
      {can(viewer, 'manageIntegrations') && <StaleRatesNotice />}
      <DashboardOverview timeZone={timeZone} scope={scope} />
    </SectionPage>
  );
}
