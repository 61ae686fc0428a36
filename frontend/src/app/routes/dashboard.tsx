import { useTranslation } from 'react-i18next';

import { DashboardOverview } from '@/features/dashboard/components/dashboard-overview.tsx';
import { useCurrentMember } from '@/features/team/hooks/use-current-member.ts';

import { SectionPage } from '../layout/section-page.tsx';

export function DashboardRoute() {
  const { t } = useTranslation('dashboard');
  // The shell renders pages only once the member row is loaded, so their zone is known here;
  // reading it from the row (not the preferences store, filled a moment later) avoids a first
  // fetch in UTC.
  const member = useCurrentMember().data;
  const timeZone = member?.timezone ?? 'UTC';
  const scope = member?.role === 'agent' ? 'own' : 'team';
  return (
    <SectionPage title={t('title')}>
      <p className="dashboard-intro">
        {scope === 'own' ? t('intro.agent', { timeZone }) : t('intro.team', { timeZone })}
      </p>
      <DashboardOverview timeZone={timeZone} scope={scope} />
    </SectionPage>
  );
}
