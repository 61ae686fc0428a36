import type { ReactNode } from 'react';

import { signOut } from '../api/portal.ts';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage, useI18n } from '../i18n.tsx';
import { Link, navigate, usePath } from '../router.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';

export function Layout({ children }: { children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const path = usePath();
  const { session, linkError } = useSession();
  const current = (to: string) => (path === to ? ('page' as const) : undefined);
  return (
    <>
      <header className={styles.header}>
        <Link to="/catalogue" className={styles.brand}>
          {t('common.brand')}
        </Link>
        <nav aria-label={t('nav.label')} className={styles.nav}>
          <Link to="/catalogue" aria-current={current('/catalogue')}>
            {t('nav.catalogue')}
          </Link>
          {session ? (
            <>
              <Link to="/favourites" aria-current={current('/favourites')}>
                {t('nav.favourites')}
              </Link>
              <Link to="/alerts" aria-current={current('/alerts')}>
                {t('nav.alerts')}
              </Link>
              <Link to="/account" aria-current={current('/account')}>
                {t('nav.account')}
              </Link>
              <button
                type="button"
                className={styles.linkButton}
                onClick={() => void signOut().then(() => navigate('/sign-in'))}
              >
                {t('nav.signOut')}
              </button>
            </>
          ) : (
            <>
              <Link to="/sign-in" aria-current={current('/sign-in')}>
                {t('nav.signIn')}
              </Link>
              <Link to="/sign-up" aria-current={current('/sign-up')}>
                {t('nav.signUp')}
              </Link>
            </>
          )}
        </nav>
        <label>
          <span className={styles.visuallyHidden}>{t('nav.language')}</span>
          <select
            value={language}
            onChange={(event) => isLanguage(event.target.value) && setLanguage(event.target.value)}
          >
            {LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main>
        {linkError ? (
          <p className={`${styles.page} ${styles.error}`} role="alert">
            {t(linkError)}
          </p>
        ) : null}
        {children}
      </main>
    </>
  );
}
