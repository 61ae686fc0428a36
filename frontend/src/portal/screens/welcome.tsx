import { useEffect } from 'react';

import { setFavourite } from '../api/portal.ts';
import { PENDING_HEART_KEY } from '../components/heart-button.tsx';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';

/**
 * Where the confirmation link lands, signed in: once the database has linked the account to its
 * customer, the heart a visitor clicked before signing up is saved, and My favourites opens.
 */
export function WelcomePage() {
  const { t } = useI18n();
  const { ready, session, customerId } = useSession();

  useEffect(() => {
    if (!customerId) return;
    let pending: string | null;
    try {
      pending = window.localStorage.getItem(PENDING_HEART_KEY);
      window.localStorage.removeItem(PENDING_HEART_KEY);
    } catch {
      pending = null;
    }
    const saved = pending ? setFavourite(pending, true).catch(() => false) : Promise.resolve(true);
    void saved.then(() => navigate('/favourites', { replace: true }));
  }, [customerId]);

  if (ready && !session) {
    return (
      <section className={styles.narrow}>
        <h1>{t('welcome.title')}</h1>
        <p role="alert">{t('errors.linkExpired')}</p>
        <Link to="/sign-in">{t('signIn.title')}</Link>
      </section>
    );
  }
  return (
    <section className={styles.narrow}>
      <h1>{t('welcome.title')}</h1>
      <p role="status">{t('common.loading')}</p>
    </section>
  );
}
