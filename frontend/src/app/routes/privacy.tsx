import { ShieldOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { privacyRequestsOptions } from '@/features/privacy/api/privacy-requests.ts';
import { NewRequestButton } from '@/features/privacy/components/new-request-dialog.tsx';
import { PrivacyConsole } from '@/features/privacy/components/privacy-console.tsx';
import { queryClient } from '@/lib/query-client.ts';
import { can } from '@/lib/permissions.ts';
import { prefetchMember, useViewer } from '@/lib/viewer.ts';

import { EmptySection, SectionPage } from '../layout/section-page.tsx';

/** Asks for the open requests as soon as the page's code arrives, for admins and managers. */
export function prefetch(): void {
  if (window.location.pathname !== '/privacy') return;
  void prefetchMember().then((member) => {
    if (member && can({ userId: member.user_id, role: member.role }, 'workPrivacyRequests')) {
      void queryClient.prefetchInfiniteQuery(privacyRequestsOptions('open'));
    }
  });
}

/** /privacy: the privacy console (issue 12), for admins and managers. */
export function PrivacyRoute() {
  const { t } = useTranslation('portal');
  const viewer = useViewer();
  if (!can(viewer, 'workPrivacyRequests')) {
    return (
      <EmptySection
        title={t('console.title')}
        icon={ShieldOff}
        emptyTitle={t('console.notAllowed')}
        emptyDescription={t('console.notAllowedDescription')}
      />
    );
  }
  return (
    <SectionPage title={t('console.title')}>
      <p>{t('console.intro')}</p>
      <p>
        <NewRequestButton />
      </p>
      <PrivacyConsole />
    </SectionPage>
  );
}
