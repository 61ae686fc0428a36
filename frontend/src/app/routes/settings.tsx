import { ChevronRight, UserRound } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { SectionPage } from '../layout/section-page.tsx';

/** The settings index: one card per settings page (team, tags and the rest join this list). */
export function SettingsRoute() {
  const { t } = useTranslation('settings');
  return (
    <SectionPage title={t('title')}>
      <ul className="settings-index">
        <li>
          <Link to="/settings/profile" className="settings-card">
            <UserRound aria-hidden="true" size={22} />
            <span>
              <strong>{t('profile.title')}</strong>
              <span>{t('profile.summary')}</span>
            </span>
            <ChevronRight aria-hidden="true" size={18} />
          </Link>
        </li>
      </ul>
    </SectionPage>
  );
}
