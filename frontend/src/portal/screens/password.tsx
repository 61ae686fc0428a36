import { useId, useState, type FormEvent } from 'react';

import { changePassword, requestPasswordReset } from '../api/portal.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../router.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';
import { EMAIL_PATTERN, passwordProblems } from './auth-errors.ts';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const id = useId();
  const [email, setEmail] = useState('');
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | 'invalid' | 'failed'>('idle');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!EMAIL_PATTERN.test(email.trim())) return setState('invalid');
    setState('busy');
    try {
      await requestPasswordReset(email.trim());
      setState('sent');
    } catch (failure) {
      // A rate limit is the only answer worth telling apart; it says nothing about the address.
      setState((failure as { code?: string }).code?.startsWith('over_') ? 'failed' : 'sent');
    }
  };

  return (
    <section className={styles.narrow} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('password.forgotTitle')}</h1>
      {state === 'sent' ? (
        <p role="status">{t('password.sent')}</p>
      ) : (
        <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
          <div className={styles.field}>
            <label htmlFor={`${id}-email`}>{t('fields.email')}</label>
            <input
              id={`${id}-email`}
              type="email"
              autoComplete="email"
              required
              value={email}
              aria-invalid={state === 'invalid'}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          {state === 'invalid' || state === 'failed' ? (
            <p className={styles.error} role="alert">
              {t(state === 'invalid' ? 'errors.invalidEmail' : 'errors.tooMany')}
            </p>
          ) : null}
          <button type="submit" className={styles.button} disabled={state === 'busy'}>
            {t('password.send')}
          </button>
        </form>
      )}
      <p>
        <Link to="/sign-in">{t('signIn.title')}</Link>
      </p>
    </section>
  );
}

/** Where the recovery link lands (with a session): choose a new password. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const id = useId();
  const { ready, session } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (passwordProblems(password)) return setError('errors.weakPassword');
    try {
      await changePassword(password);
      navigate('/favourites');
    } catch {
      setError('errors.passwordFailed');
    }
  };

  if (ready && !session) {
    return (
      <section className={styles.narrow}>
        <h1>{t('password.resetTitle')}</h1>
        <p role="alert">{t('errors.linkExpired')}</p>
        <Link to="/forgot-password">{t('password.forgot')}</Link>
      </section>
    );
  }
  return (
    <section className={styles.narrow} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('password.resetTitle')}</h1>
      <form className={styles.form} onSubmit={(event) => void submit(event)} noValidate>
        <div className={styles.field}>
          <label htmlFor={`${id}-password`}>{t('fields.newPassword')}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            aria-describedby={`${id}-hint`}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p id={`${id}-hint`} className={styles.hint}>
            {t('fields.passwordRules')}
          </p>
        </div>
        {error ? (
          <p className={styles.error} role="alert">
            {t(error)}
          </p>
        ) : null}
        <button type="submit" className={styles.button}>
          {t('password.save')}
        </button>
      </form>
    </section>
  );
}
