import { useTranslation } from 'react-i18next';

import { campaignListOptions } from '@/features/campaigns/api/campaigns.ts';
import { CampaignsScreen } from '@/features/campaigns/components/campaigns-screen.tsx';
import { queryClient } from '@/lib/query-client.ts';

import { SectionPage } from '../layout/section-page.tsx';

/** Called by the router as soon as this page's code has arrived: asks for the campaigns at once. */
export function prefetch(): void {
  if (window.location.pathname !== '/campaigns' || window.location.search) return;
  void queryClient.prefetchQuery(campaignListOptions());
}

/** /campaigns: marketing emails to a segment — create, check the summary, send, watch them go. */
export function CampaignsRoute() {
  const { t } = useTranslation('campaigns');
  return (
    <SectionPage title={t('title')}>
      <CampaignsScreen />
    </SectionPage>
  );
}
