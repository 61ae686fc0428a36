import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, LANGUAGE_NAMES, isLanguage, setLanguage } from '@/lib/i18n.ts';

import { useDocumentTitle } from './use-document-title.ts';

/**
 * The frame of the signed-out screens: a card with a title, and a language picker so a person
 * can read the sign-in screen before their profile says which language they use.
 */
export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t, i18n } = useTranslation('common');
  useDocumentTitle(title);
  return (
    <main className="auth-page">
      <h1>{title}</h1>
      {children}
      <div className="auth-language">
        <label htmlFor="auth-language">{t('language')}</label>
        <select
          id="auth-language"
          value={i18n.resolvedLanguage}
          onChange={(event) => {
            if (isLanguage(event.target.value)) void setLanguage(event.target.value);
          }}
        >
          {LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {LANGUAGE_NAMES[language]}
            </option>
          ))}
        </select>
      </div>
    </main>
  );
}
