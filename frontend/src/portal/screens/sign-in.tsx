import { useEffect, useId, useState, type FormEvent } from 'react';

import { signIn } from '../api/portal.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';
import { signInErrorKey } from './auth-errors.ts';

export function SignInPage() {
  const { t } = useI18n();
  const id = useId();
  const { session } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (session) navigate('/favourites', { replace: true });
  }, [session]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (failure) {
      setError(signInErrorKey(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={styles.narrow} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('signIn.title')}</h1>
      <form className={styles.form} onSubmit={(event) => void submit(event)}>
        <div className={styles.field}>
          <label htmlFor={`${id}-email`}>{t('fields.email')}</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-password`}>{t('fields.password')}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        {error ? (
          <p className={styles.error} role="alert">
            {t(error)}
          </p>
        ) : null}
        <button type="submit" className={styles.button} disabled={busy}>
          {t('signIn.submit')}
        </button>
        <p>
          <Link to="/forgot-password">{t('password.forgot')}</Link>
        </p>
        <p>
          {t('signIn.noAccount')} <Link to="/sign-up">{t('nav.signUp')}</Link>
        </p>
      </form>
    </section>
  );
}
