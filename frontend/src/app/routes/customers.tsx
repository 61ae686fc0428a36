import { useTranslation } from 'react-i18next';

import { memberOptions } from '@/api/team-members.ts';
import { CustomersScreen } from '@/features/customers/components/customers-screen.tsx';
import { prefetchCustomerList } from '@/features/customers/hooks/prefetch-customer-list.ts';
import { queryClient } from '@/lib/query-client.ts';
import { useSessionStore } from '@/stores/session-store.ts';

import { SectionPage } from '../layout/section-page.tsx';

/**
 * Called by the router as soon as this page's code has arrived (router.tsx): asks for the first
 * page of customers while the page itself is still being revealed, if we already know who is
 * asking (the shell fetched them) and the person is still on /customers.
 */
export function prefetch(): void {
  const userId = useSessionStore.getState().session?.user.id;
  const member = userId ? queryClient.getQueryData(memberOptions(userId).queryKey) : undefined;
  if (!member || window.location.pathname !== '/customers') return;
  prefetchCustomerList(
    queryClient,
    { userId: member.user_id, role: member.role },
    new URLSearchParams(window.location.search),
  );
}

/** /customers: the list; who is looking comes from the shell (useViewer). */
export function CustomersRoute() {
  const { t } = useTranslation('customers');
  return (
    <SectionPage title={t('title')}>
      <CustomersScreen />
    </SectionPage>
  );
}
