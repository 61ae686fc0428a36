import { useTranslation } from 'react-i18next';

import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { CustomersScreen } from '@/features/customers/components/customers-screen.tsx';
import { ViewerContext } from '@/features/customers/hooks/use-viewer.ts';
import { useCurrentMember } from '@/features/team/hooks/use-current-member.ts';

import { SectionPage } from '../layout/section-page.tsx';

/** /customers: the list, for the signed-in member's role (what they may do is decided here once). */
export function CustomersRoute() {
  const { t } = useTranslation('customers');
  const member = useCurrentMember();
  return (
    <SectionPage title={t('title')}>
      {member.data ? (
        <ViewerContext.Provider value={{ userId: member.data.user_id, role: member.data.role }}>
          <CustomersScreen />
        </ViewerContext.Provider>
      ) : member.isError || member.data === null ? (
        <ErrorState onRetry={() => void member.refetch()} />
      ) : (
        <LoadingState />
      )}
    </SectionPage>
  );
}
