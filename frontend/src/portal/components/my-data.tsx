import { useEffect, useState } from 'react';

import { latestErasureRequest, myDataExport, myOrdersCsv, requestErasure, type ErasureRequest } from '../api/portal.ts';
import { useI18n } from '../i18n.tsx';
import styles from '../portal.module.css';

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** My data: download everything (JSON) and my orders (CSV); ask for deletion (a 30-day request). */
export function MyData() {
  const { t, language } = useI18n();
  const [erasure, setErasure] = useState<ErasureRequest | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    latestErasureRequest().then(setErasure, () => undefined);
  }, []);

  const run = async (work: () => Promise<void>) => {
    setStatus(null);
    try {
      await work();
    } catch {
      setStatus({ ok: false, text: t('errors.loadFailed') });
    }
  };
  const day = (iso: string) => new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(new Date(iso));

  return (
    <section className={`${styles.form} ${styles.narrow}`} aria-labelledby="my-data">
      <h2 id="my-data">{t('myData.title')}</h2>
      <p className={styles.hint}>{t('myData.hint')}</p>
      <div className={styles.actions}>
        <button
          type="button"
          className={styles.secondary}
          onClick={() =>
            void run(async () =>
              download('my-data.json', 'application/json', JSON.stringify(await myDataExport(), null, 2)),
            )
          }
        >
          {t('myData.json')}
        </button>
        <button
          type="button"
          className={styles.secondary}
          onClick={() => void run(async () => download('my-orders.csv', 'text/csv', await myOrdersCsv()))}
        >
          {t('myData.csv')}
        </button>
      </div>
      <h3>{t('myData.deleteTitle')}</h3>
      {erasure?.status === 'refused' && !confirming ? (
        <>
          <p role="status">
            {t('myData.refused', { requested: day(erasure.requested_at), reason: erasure.refusal_reason ?? '' })}
          </p>
          <button type="button" className={styles.secondary} onClick={() => setConfirming(true)}>
            {t('myData.askAgain')}
          </button>
        </>
      ) : erasure && erasure.status !== 'refused' ? (
        <p role="status">{t('myData.requested', { requested: day(erasure.requested_at), due: day(erasure.due_at) })}</p>
      ) : confirming ? (
        <div role="group" aria-label={t('myData.deleteTitle')} className={styles.form}>
          <p>{t('myData.confirm')}</p>
          <div className={styles.actions}>
            <button
              type="button"
              className={styles.button}
              onClick={() =>
                void run(async () => {
                  setErasure(await requestErasure());
                  setConfirming(false);
                })
              }
            >
              {t('myData.confirmButton')}
            </button>
            <button type="button" className={styles.secondary} onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className={styles.secondary} onClick={() => setConfirming(true)}>
          {t('myData.delete')}
        </button>
      )}
      {status ? (
        <p role="alert" className={styles.error}>
          {status.text}
        </p>
      ) : null}
    </section>
  );
}
