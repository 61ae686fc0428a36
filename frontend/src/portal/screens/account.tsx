import { useEffect, useId, useState, type FormEvent } from 'react';

import { changeEmail, changePassword, profile, saveProfile, type Profile } from '../api/portal.ts';
import { MyData } from '../components/my-data.tsx';
import { StyleChoices } from '../components/style-choices.tsx';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';
import { EMAIL_PATTERN, passwordProblems } from './auth-errors.ts';

/** Account: change email and password, style interests and favourite brands, my data. */
export function AccountPage() {
  const { t } = useI18n();
  const id = useId();
  const { customerId, session } = useSession();
  const [me, setMe] = useState<Profile | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (customerId) profile().then(setMe, () => setStatus({ ok: false, text: 'errors.loadFailed' }));
  }, [customerId]);

  const submitEmail = async (event: FormEvent) => {
    event.preventDefault();
    if (!EMAIL_PATTERN.test(email.trim())) return setStatus({ ok: false, text: 'errors.invalidEmail' });
    try {
      await changeEmail(email.trim());
      setStatus({ ok: true, text: 'account.emailSent' });
    } catch {
      setStatus({ ok: false, text: 'errors.saveFailed' });
    }
  };

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    if (passwordProblems(password)) return setStatus({ ok: false, text: 'errors.weakPassword' });
    try {
      await changePassword(password);
      setPassword('');
      setStatus({ ok: true, text: 'account.passwordSaved' });
    } catch (failure) {
      const code = (failure as { code?: string }).code;
      setStatus({
        ok: false,
        text: code === 'reauthentication_needed' ? 'account.reauthenticate' : 'errors.passwordFailed',
      });
    }
  };

  const saveStyle = async () => {
    if (!me || !customerId) return;
    try {
      await saveProfile(customerId, { style_interests: me.style_interests, favourite_brands: me.favourite_brands });
      setStatus({ ok: true, text: 'alerts.saved' });
    } catch {
      setStatus({ ok: false, text: 'errors.saveFailed' });
    }
  };

  return (
    <section className={styles.page} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('account.title')}</h1>
      <p role="status" className={status?.ok ? styles.success : styles.error}>
        {status ? t(status.text) : ''}
      </p>
      <form className={`${styles.form} ${styles.narrow}`} onSubmit={(event) => void submitEmail(event)} noValidate>
        <h2>{t('account.email')}</h2>
        <p className={styles.hint}>{t('account.currentEmail', { email: session?.user.email ?? '' })}</p>
        <div className={styles.field}>
          <label htmlFor={`${id}-email`}>{t('account.newEmail')}</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <button type="submit" className={styles.button}>
          {t('account.changeEmail')}
        </button>
      </form>
      <form className={`${styles.form} ${styles.narrow}`} onSubmit={(event) => void submitPassword(event)} noValidate>
        <h2>{t('fields.password')}</h2>
        <div className={styles.field}>
          <label htmlFor={`${id}-password`}>{t('fields.newPassword')}</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            value={password}
            aria-describedby={`${id}-rules`}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p id={`${id}-rules`} className={styles.hint}>
            {t('fields.passwordRules')}
          </p>
        </div>
        <button type="submit" className={styles.button}>
          {t('password.save')}
        </button>
      </form>
      {me ? (
        <div className={`${styles.form} ${styles.narrow}`}>
          <h2>{t('signUp.styleTitle')}</h2>
          <StyleChoices
            interests={me.style_interests}
            brands={me.favourite_brands}
            onInterests={(style_interests) => setMe({ ...me, style_interests })}
            onBrands={(favourite_brands) => setMe({ ...me, favourite_brands })}
          />
          <button type="button" className={styles.button} onClick={() => void saveStyle()}>
            {t('common.save')}
          </button>
        </div>
      ) : null}
      {customerId ? <MyData /> : null}
    </section>
  );
}
