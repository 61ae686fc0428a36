import { useTranslation } from 'react-i18next';

import { SetPasswordPage } from './set-password-page.tsx';

export function AcceptInviteRoute() {
  const { t } = useTranslation('auth');
  return (
    <SetPasswordPage
      title={t('acceptInvite.title')}
      intro={t('acceptInvite.intro')}
      formLabel={t('acceptInvite.form')}
      submitLabel={t('acceptInvite.submit')}
      doneMessage={t('acceptInvite.done')}
    />
  );
}
