import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { CustomersScreen } from '@/features/customers/components/customers-screen.tsx';
import { prefetchCustomerList } from '@/features/customers/hooks/prefetch-customer-list.ts';
import { CustomersContext, type CustomersEnvironment } from '@/features/customers/hooks/use-customers-context.ts';
import { memberKeys, type TeamMember } from '@/features/team/api/members.ts';
import { useCurrentMember } from '@/features/team/hooks/use-current-member.ts';
import { timeZoneOptions } from '@/features/team/utils/time-zone-options.ts';
import { queryClient } from '@/lib/query-client.ts';
import { useSessionStore } from '@/stores/session-store.ts';

import { SectionPage } from '../layout/section-page.tsx';

// This module loads when someone opens /customers: ask for the first page now, while the page
// itself is still being revealed, if we already know who is asking (the shell fetched them).
const userId = useSessionStore.getState().session?.user.id;
const member = userId ? queryClient.getQueryData<TeamMember | null>(memberKeys.one(userId)) : undefined;
if (member && window.location.pathname === '/customers') {
  prefetchCustomerList(
    queryClient,
    { userId: member.user_id, role: member.role },
    new URLSearchParams(window.location.search),
  );
}

/** /customers: the list, for the signed-in member's role (what they may do is decided here once). */
export function CustomersRoute() {
  const { t } = useTranslation('customers');
  const member = useCurrentMember();
  const userId = member.data?.user_id;
  const role = member.data?.role;
  const environment = useMemo<CustomersEnvironment | null>(
    () => (userId && role ? { viewer: { userId, role }, timeZoneOptions } : null),
    [userId, role],
  );
  return (
    <SectionPage title={t('title')}>
      {environment ? (
        <CustomersContext.Provider value={environment}>
          <CustomersScreen />
        </CustomersContext.Provider>
      ) : member.isError || member.data === null ? (
        <ErrorState onRetry={() => void member.refetch()} />
      ) : (
        <LoadingState />
      )}
    </SectionPage>
  );
}
