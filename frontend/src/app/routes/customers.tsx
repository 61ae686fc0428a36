import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { CustomersScreen } from '@/features/customers/components/customers-screen.tsx';
import { CustomersContext, type CustomersEnvironment } from '@/features/customers/hooks/use-customers-context.ts';
import { useCurrentMember } from '@/features/team/hooks/use-current-member.ts';
import { timeZoneOptions } from '@/features/team/utils/time-zone-options.ts';

import { SectionPage } from '../layout/section-page.tsx';

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
