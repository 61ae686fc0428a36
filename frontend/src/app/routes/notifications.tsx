import { useTranslation } from 'react-i18next';

import { NotificationsPage } from '@/features/notifications/components/notifications-page.tsx';

import { SectionPage } from '../layout/section-page.tsx';

/** /notifications: everything the bell holds, and how the member wants to hear about each kind. */
export function NotificationsRoute() {
  const { t } = useTranslation('notifications');
  return (
    <SectionPage title={t('page.title')}>
      <NotificationsPage />
    </SectionPage>
  );
}
