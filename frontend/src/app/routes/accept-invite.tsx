import { useTranslation } from 'react-i18next';

import { SetPasswordPage } from './set-password-page.tsx';

/**
 * Where the invitation link lands: the invitee chooses their password, then accepts, which is
 * what makes their team row count (the database refuses an acceptance from any other session).
 */
export function AcceptInviteRoute() {
  const { t } = useTranslation('auth');
  return (
    <SetPasswordPage
      title={t('acceptInvite.title')}
      intro={t('acceptInvite.intro')}
      formLabel={t('acceptInvite.form')}
      submitLabel={t('acceptInvite.submit')}
      doneMessage={t('acceptInvite.done')}
      acceptsInvitation
    />
  );
}
