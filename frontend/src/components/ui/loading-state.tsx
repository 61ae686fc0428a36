import { useTranslation } from 'react-i18next';

/** A polite live region, so assistive technology announces that something is loading. */
export function LoadingState({ label, className }: { label?: string; className?: string }) {
  const { t } = useTranslation('common');
  return (
    <p role="status" className={['loading', className].filter(Boolean).join(' ')}>
      {label ?? t('states.loading')}
    </p>
  );
}

/**
 * Grey placeholder lines in the shape of the content that is coming, so the page does not jump
 * when it arrives. Hidden from assistive technology; pair it with a LoadingState label.
 */
export function Skeleton({ lines = 3, label }: { lines?: number; label?: string }) {
  const { t } = useTranslation('common');
  return (
    <div className="skeleton" role="status" aria-label={label ?? t('states.loading')}>
      {Array.from({ length: lines }, (_, index) => (
        <span key={index} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
