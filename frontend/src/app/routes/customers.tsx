import { useTranslation } from 'react-i18next';

import { CustomersScreen } from '@/features/customers/components/customers-screen.tsx';
import { prefetchCustomerList } from '@/features/customers/hooks/prefetch-customer-list.ts';
import { queryClient } from '@/lib/query-client.ts';
import { prefetchMember } from '@/lib/viewer.ts';

import { SectionPage } from '../layout/section-page.tsx';

/**
 * Called by the router as soon as this page's code has arrived (router.tsx): asks for the first
 * page of customers as soon as we know who is asking (prefetchMember, which the shell started),
 * while the shell and the page are still being revealed, if the person is still on /customers.
 */
export function prefetch(): void {
  if (window.location.pathname !== '/customers') return;
  void prefetchMember().then((member) => {
    if (!member || window.location.pathname !== '/customers') return;
    prefetchCustomerList(
      queryClient,
      { userId: member.user_id, role: member.role },
      new URLSearchParams(window.location.search),
    );
  });
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
