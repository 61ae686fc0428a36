import { TriangleAlert } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { Button } from './button.tsx';

export interface ErrorStateProps {
  title?: string;
  description?: string;
  /** Shown as a "Try again" button when the failed action can simply be repeated. */
  onRetry?: () => void;
}

/** A failure the person can see and act on; announced at once (role="alert"). */
export function ErrorState({ title, description, onRetry }: ErrorStateProps) {
  const { t } = useTranslation('common');
  return (
    <section className="state-panel state-error" role="alert">
      <TriangleAlert aria-hidden="true" size={40} className="state-icon" />
      <h2 className="state-title">{title ?? t('states.errorTitle')}</h2>
      <p className="state-description">{description ?? t('states.errorDescription')}</p>
      {onRetry ? (
        <div className="state-action">
          <Button variant="secondary" onClick={onRetry}>
            {t('actions.retry')}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
