import { useId, useRef, useState, type FormEvent } from 'react';

import { signUp, type ConsentPurpose } from '../api/portal.ts';
import { StyleChoices } from '../components/style-choices.tsx';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import styles from '../portal.module.css';
import { EMAIL_PATTERN, passwordProblems, signUpErrorKey } from './auth-errors.ts';

type Step = 'account' | 'style' | 'sent';

/**
 * Sign-up in two screens (seed 000): 1. email, password, the opt-ins; 2. (skippable) style
 * interests and favourite brands. The account is created at the end of either, the choices ride
 * along in user_metadata, and the database applies them when the confirmed account is linked to
 * its customer (link_portal_account) — the opt-ins become consent events with the wording shown.
 */
export function SignUpPage() {
  const { t, language } = useI18n();
  const id = useId();
  const [step, setStep] = useState<Step>('account');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [consents, setConsents] = useState<Record<ConsentPurpose, boolean>>({ marketing: false, alerts: false });
  const [interests, setInterests] = useState<string[]>([]);
  const [brands, setBrands] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const go = (next: Step) => {
    setStep(next);
    setError(null);
    requestAnimationFrame(() => heading.current?.focus());
  };

  const submitAccount = (event: FormEvent) => {
    event.preventDefault();
    if (!EMAIL_PATTERN.test(email.trim())) return setError('errors.invalidEmail');
    if (passwordProblems(password)) return setError('errors.weakPassword');
    go('style');
  };

  const create = async (withStyle: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await signUp({
        email: email.trim(),
        password,
        language,
        consents: {
          ...(consents.marketing ? { marketing: t('signUp.marketing') } : {}),
          ...(consents.alerts ? { alerts: t('signUp.alerts') } : {}),
        },
        styleInterests: withStyle ? interests : [],
        favouriteBrands: withStyle ? brands : [],
      });
      go('sent');
    } catch (failure) {
      const key = signUpErrorKey(failure);
      if (key === 'errors.weakPassword' || key === 'errors.invalidEmail') go('account');
      setError(key);
    } finally {
      setBusy(false);
    }
  };

  if (step === 'sent') {
    return (
      <section className={styles.narrow} aria-labelledby={`${id}-h`}>
        <h1 id={`${id}-h`} ref={heading} tabIndex={-1}>
          {t('signUp.sentTitle')}
        </h1>
        <p role="status">{t('signUp.sent', { email: email.trim() })}</p>
        <p className={styles.hint}>{t('signUp.sentHint')}</p>
        <Link to="/sign-in">{t('signIn.title')}</Link>
      </section>
    );
  }

  if (step === 'style') {
    return (
      <section className={styles.narrow} aria-labelledby={`${id}-h`}>
        <p className={styles.hint}>{t('signUp.step', { step: 2, of: 2 })}</p>
        <h1 id={`${id}-h`} ref={heading} tabIndex={-1}>
          {t('signUp.styleTitle')}
        </h1>
        <div className={styles.form}>
          <p className={styles.hint}>{t('signUp.styleHint')}</p>
          <StyleChoices interests={interests} brands={brands} onInterests={setInterests} onBrands={setBrands} />
          {error ? (
            <p className={styles.error} role="alert">
              {t(error)}
            </p>
          ) : null}
          <div className={styles.actions}>
            <button type="button" className={styles.button} disabled={busy} onClick={() => void create(true)}>
              {t('signUp.create')}
            </button>
            <button type="button" className={styles.secondary} disabled={busy} onClick={() => void create(false)}>
              {t('signUp.skip')}
            </button>
            <button type="button" className={styles.linkButton} disabled={busy} onClick={() => go('account')}>
              {t('common.back')}
            </button>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section className={styles.narrow} aria-labelledby={`${id}-h`}>
      <p className={styles.hint}>{t('signUp.step', { step: 1, of: 2 })}</p>
      <h1 id={`${id}-h`} ref={heading} tabIndex={-1}>
        {t('signUp.title')}
      </h1>
      <form className={styles.form} onSubmit={submitAccount} noValidate>
        <div className={styles.field}>
          <label htmlFor={`${id}-email`}>{t('fields.email')}</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            required
            value={email}
            aria-invalid={error === 'errors.invalidEmail'}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-password`}>{t('fields.password')}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            value={password}
            aria-describedby={`${id}-password-hint`}
            aria-invalid={error === 'errors.weakPassword'}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p id={`${id}-password-hint`} className={styles.hint}>
            {t('fields.passwordRules')}
          </p>
        </div>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={consents.alerts}
            onChange={(event) => setConsents({ ...consents, alerts: event.target.checked })}
          />
          <span>{t('signUp.alerts')}</span>
        </label>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={consents.marketing}
            onChange={(event) => setConsents({ ...consents, marketing: event.target.checked })}
          />
          <span>{t('signUp.marketing')}</span>
        </label>
        <p className={styles.hint}>{t('signUp.terms')}</p>
        {error ? (
          <p className={styles.error} role="alert">
            {t(error)}
          </p>
        ) : null}
        <button type="submit" className={styles.button}>
          {t('signUp.continue')}
        </button>
        <p>
          {t('signUp.haveAccount')} <Link to="/sign-in">{t('signIn.title')}</Link>
        </p>
      </form>
    </section>
  );
}
