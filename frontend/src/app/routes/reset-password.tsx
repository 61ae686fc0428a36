import { useTranslation } from 'react-i18next';

import { SetPasswordPage } from './set-password-page.tsx';

export function ResetPasswordRoute() {
  const { t } = useTranslation('auth');
  return (
    <SetPasswordPage
      title={t('resetPassword.title')}
      intro={t('resetPassword.intro')}
      formLabel={t('resetPassword.form')}
      submitLabel={t('resetPassword.submit')}
      doneMessage={t('resetPassword.done')}
    />
  );
}
