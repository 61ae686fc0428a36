import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { UnsubscribePanel } from '@/features/consent/components/unsubscribe-panel.tsx';

import { AuthLayout } from '../layout/auth-layout.tsx';

/**
 * Where an email's unsubscribe link lands in production (the `unsubscribe` function redirects
 * here with the token and what it turns off); public, no sign-in.
 */
export function UnsubscribeRoute() {
  const { t } = useTranslation('consent');
  const [params] = useSearchParams();
  return (
    <AuthLayout title={t('title')}>
      <UnsubscribePanel token={params.get('token')} purpose={params.get('purpose')} linkError={params.get('error')} />
    </AuthLayout>
  );
}
