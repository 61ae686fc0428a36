import { useEffect, useId, useState, type FormEvent } from 'react';

import {
  alertPreferences,
  emailConsents,
  profile,
  recordConsent,
  saveAlertPreferences,
  saveProfile,
  type AlertPreferences,
  type ConsentPurpose,
} from '../api/portal.ts';
import { LANGUAGES, LANGUAGE_NAMES, useI18n } from '../i18n.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';

const DEFAULTS: AlertPreferences = {
  back_in_stock: true,
  price_drop: true,
  price_drop_threshold_percent: null,
  quiet_hours_start: null,
  quiet_hours_end: null,
  max_per_day: null,
};

/**
 * Alert preferences (read by the alert engine: which alerts, threshold, quiet hours, cap, the
 * email's language) and email preferences, which are the consent ledger itself: switching one
 * records a new consent event, and an unsubscribe link shows here as withdrawn.
 */
export function AlertsPage() {
  const { t, language } = useI18n();
  const id = useId();
  const { customerId } = useSession();
  const [prefs, setPrefs] = useState<AlertPreferences | null>(null);
  const [emailLanguage, setEmailLanguage] = useState('');
  const [consents, setConsents] = useState<Partial<Record<ConsentPurpose, boolean>> | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!customerId) return;
    alertPreferences(customerId).then(
      (found) => setPrefs(found ?? DEFAULTS),
      () => setStatus({ ok: false, text: 'errors.loadFailed' }),
    );
    emailConsents(customerId).then(setConsents, () => setConsents({}));
    profile().then(
      (me) => setEmailLanguage(me.language ?? ''),
      () => undefined,
    );
  }, [customerId]);

  if (!customerId || !prefs || !consents) {
    return (
      <p className={styles.page} role="status">
        {status ? t(status.text) : t('common.loading')}
      </p>
    );
  }

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if ((prefs.quiet_hours_start === null) !== (prefs.quiet_hours_end === null)) {
      return setStatus({ ok: false, text: 'alerts.quietBoth' });
    }
    try {
      await saveAlertPreferences(customerId, prefs);
      await saveProfile(customerId, { language: emailLanguage || null });
      setStatus({ ok: true, text: 'alerts.saved' });
    } catch {
      setStatus({ ok: false, text: 'errors.saveFailed' });
    }
  };

  const toggleConsent = async (purpose: ConsentPurpose, granted: boolean) => {
    try {
      await recordConsent(customerId, purpose, granted, { text_shown: t(`signUp.${purpose}`), language });
      setConsents({ ...consents, [purpose]: granted });
      setStatus({ ok: true, text: granted ? 'email.subscribed' : 'email.unsubscribed' });
    } catch {
      setStatus({ ok: false, text: 'errors.saveFailed' });
    }
  };

  const number = (value: string) => (value === '' ? null : Number(value));

  return (
    <section className={styles.page} aria-labelledby={`${id}-h`}>
      <h1 id={`${id}-h`}>{t('alerts.title')}</h1>
      <p role="status" className={status?.ok ? styles.success : styles.error}>
        {status ? t(status.text) : ''}
      </p>
      <section aria-labelledby={`${id}-email`} className={styles.narrow} style={{ margin: '0 0 1rem' }}>
        <h2 id={`${id}-email`}>{t('email.title')}</h2>
        <div className={styles.form}>
          {(['alerts', 'marketing'] as const).map((purpose) => (
            <label key={purpose} className={styles.check}>
              <input
                type="checkbox"
                checked={consents[purpose] === true}
                onChange={(event) => void toggleConsent(purpose, event.target.checked)}
              />
              <span>{t(`signUp.${purpose}`)}</span>
            </label>
          ))}
          <p className={styles.hint}>{t('email.hint')}</p>
        </div>
      </section>
      <form className={`${styles.form} ${styles.narrow}`} style={{ margin: 0 }} onSubmit={(event) => void save(event)}>
        <h2>{t('alerts.which')}</h2>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={prefs.back_in_stock}
            onChange={(event) => setPrefs({ ...prefs, back_in_stock: event.target.checked })}
          />
          <span>{t('alerts.backInStock')}</span>
        </label>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={prefs.price_drop}
            onChange={(event) => setPrefs({ ...prefs, price_drop: event.target.checked })}
          />
          <span>{t('alerts.priceDrop')}</span>
        </label>
        <div className={styles.field}>
          <label htmlFor={`${id}-threshold`}>{t('alerts.threshold')}</label>
          <input
            id={`${id}-threshold`}
            type="number"
            min={1}
            max={100}
            inputMode="numeric"
            placeholder={t('alerts.shopDefault')}
            value={prefs.price_drop_threshold_percent ?? ''}
            onChange={(event) => setPrefs({ ...prefs, price_drop_threshold_percent: number(event.target.value) })}
          />
        </div>
        <div className={styles.field}>
          <label htmlFor={`${id}-max`}>{t('alerts.maxPerDay')}</label>
          <input
            id={`${id}-max`}
            type="number"
            min={1}
            max={100}
            inputMode="numeric"
            placeholder={t('alerts.shopDefault')}
            value={prefs.max_per_day ?? ''}
            onChange={(event) => setPrefs({ ...prefs, max_per_day: number(event.target.value) })}
          />
        </div>
        <fieldset className={styles.fieldset}>
          <legend className={styles.legend}>{t('alerts.quietHours')}</legend>
          <p className={styles.hint}>{t('alerts.quietHint')}</p>
          <div className={styles.field}>
            <label htmlFor={`${id}-from`}>{t('alerts.from')}</label>
            <input
              id={`${id}-from`}
              type="time"
              value={prefs.quiet_hours_start?.slice(0, 5) ?? ''}
              onChange={(event) => setPrefs({ ...prefs, quiet_hours_start: event.target.value || null })}
            />
          </div>
          <div className={styles.field}>
            <label htmlFor={`${id}-to`}>{t('alerts.to')}</label>
            <input
              id={`${id}-to`}
              type="time"
              value={prefs.quiet_hours_end?.slice(0, 5) ?? ''}
              onChange={(event) => setPrefs({ ...prefs, quiet_hours_end: event.target.value || null })}
            />
          </div>
        </fieldset>
        <div className={styles.field}>
          <label htmlFor={`${id}-language`}>{t('alerts.language')}</label>
          <select
            id={`${id}-language`}
            value={emailLanguage}
            onChange={(event) => setEmailLanguage(event.target.value)}
          >
            <option value="">{t('alerts.shopDefault')}</option>
            {LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={styles.button}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}
