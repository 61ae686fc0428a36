import { useTranslation } from 'react-i18next';

import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import { DELIVERIES, NOTIFICATION_KINDS, type NotificationKind } from '../api/notifications.ts';
import { usePreferences, useSetPreference } from '../hooks/use-notifications.ts';
import styles from './notifications.module.css';

/** Kinds a member is offered: integration failures reach admins only. */
const kindsFor = (role: string): NotificationKind[] =>
  NOTIFICATION_KINDS.filter((kind) => kind !== 'system' && (kind !== 'integration_failed' || role === 'admin'));

/** Per kind: in the app, also in the daily email digest, or not at all. */
export function NotificationPreferences() {
  const { t } = useTranslation('notifications');
  const viewer = useViewer();
  const preferences = usePreferences(viewer.userId);
  const save = useSetPreference(viewer.userId);
  if (preferences.isPending) return <LoadingState />;
  if (preferences.isError)
    return <ErrorState description={t('loadFailed')} onRetry={() => void preferences.refetch()} />;
  return (
    <div className={styles.preferences}>
      {kindsFor(viewer.role).map((kind) => (
        <fieldset key={kind} className={styles.preference}>
          <legend>{t(`kinds.${kind}`)}</legend>
          {DELIVERIES.map((delivery) => (
            <label key={delivery}>
              <input
                type="radio"
                name={`delivery-${kind}`}
                value={delivery}
                checked={(preferences.data[kind] ?? 'in_app') === delivery}
                onChange={() =>
                  save.mutate(
                    { kind, delivery },
                    {
                      onSuccess: () => toast.success(t('preferences.saved')),
                      onError: () => toast.error(t('preferences.saveFailed')),
                    },
                  )
                }
              />{' '}
              {t(`delivery.${delivery}`)}
            </label>
          ))}
        </fieldset>
      ))}
    </div>
  );
}
