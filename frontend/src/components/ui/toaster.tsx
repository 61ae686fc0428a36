import { X } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { useToastStore } from '@/stores/toast-store.ts';

/**
 * Renders the toast store. The live regions are always in the page (a region added together with
 * its text is not announced); errors go to an assertive one so they interrupt. aria-live rather
 * than role=status/alert, so an empty region is not mistaken for a message on the page.
 */
export function Toaster() {
  const { t } = useTranslation('common');
  const toasts = useToastStore((state) => state.toasts);
  const dismiss = useToastStore((state) => state.dismiss);
  const polite = toasts.filter((toast) => toast.tone !== 'error');
  const urgent = toasts.filter((toast) => toast.tone === 'error');
  return (
    <div className="toaster" aria-label={t('toasts.region')} role="region">
      {[
        { list: polite, live: 'polite' as const },
        { list: urgent, live: 'assertive' as const },
      ].map(({ list, live }) => (
        <div key={live} aria-live={live} className="toast-list">
          {list.map((toast) => (
            <div key={toast.id} className={`toast toast-${toast.tone}`}>
              <span>{toast.message}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={t('toasts.dismiss')}
                onClick={() => dismiss(toast.id)}
              >
                <X aria-hidden="true" size={16} />
              </button>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
