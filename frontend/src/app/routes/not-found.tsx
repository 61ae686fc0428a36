import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { AuthLayout } from '../layout/auth-layout.tsx';

export function NotFoundRoute() {
  const { t } = useTranslation('common');
  return (
    <AuthLayout title={t('notFound.title')}>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </AuthLayout>
  );
}
