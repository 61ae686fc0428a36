import { ChevronLeft } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { MfaSettings } from '@/features/auth/components/mfa-settings.tsx';
import { ProfileForm } from '@/features/team/components/profile-form.tsx';

import { SectionPage } from '../layout/section-page.tsx';

import './settings.css';

/** Own profile (team feature) and two-step verification (auth feature), composed here. */
export function ProfileRoute() {
  const { t } = useTranslation('settings');
  return (
    <SectionPage title={t('profile.title')}>
      <Link to="/settings" className="settings-back">
        <ChevronLeft aria-hidden="true" size={16} />
        {t('backToSettings')}
      </Link>
      <section className="settings-section" aria-labelledby="profile-heading">
        <h2 id="profile-heading">{t('profile.details')}</h2>
        <ProfileForm />
      </section>
      <MfaSettings />
    </SectionPage>
  );
}
