import { useState } from 'react';

import { setFavourite } from '../api/portal.ts';
import { useI18n } from '../i18n.tsx';
import { navigate } from '../router.tsx';
import { useSession } from '../session.ts';
import styles from '../portal.module.css';

export const PENDING_HEART_KEY = 'cairn.portal.pendingHeart';

/**
 * The heart on a product card: a real toggle button (aria-pressed), its state saved at once.
 * A visitor without an account is offered the sign-up; the heart is kept and saved once the
 * account is confirmed.
 */
export function HeartButton({
  variantId,
  title,
  initial,
  onChange,
}: {
  variantId: string;
  title: string;
  initial: boolean;
  onChange?: (favourite: boolean) => void;
}) {
  const { t } = useI18n();
  const { session, customerId } = useSession();
  const [pressed, setPressed] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  const toggle = async () => {
    if (!session || !customerId) {
      try {
        window.localStorage.setItem(PENDING_HEART_KEY, variantId);
      } catch {
        // The heart is not kept; the sign-up still works.
      }
      navigate('/sign-up');
      return;
    }
    const next = !pressed;
    setPressed(next);
    setBusy(true);
    setFailed(false);
    try {
      await setFavourite(variantId, next);
      onChange?.(next);
    } catch {
      setPressed(!next);
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={styles.heart}
        aria-pressed={pressed}
        aria-label={t('heart.label', { title })}
        aria-busy={busy}
        onClick={() => void toggle()}
      >
        <svg
          width="22"
          height="22"
          viewBox="0 0 24 24"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M12 21s-7.5-4.6-9.5-9.1C1.1 8.6 3.2 5 6.6 5c2 0 3.3 1.1 4.1 2.3h2.6C14.1 6.1 15.4 5 17.4 5c3.4 0 5.5 3.6 4.1 6.9C19.5 16.4 12 21 12 21z" />
        </svg>
      </button>
      {failed ? (
        <p className={styles.error} role="alert">
          {t('heart.failed')}
        </p>
      ) : null}
    </>
  );
}
