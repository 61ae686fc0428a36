import { useTranslation } from 'react-i18next';

import { SkeletonBlock } from '@/components/ui/skeleton.tsx';

/** The 360's shape while the customer row is on its way, so nothing jumps when it lands. */
export function Customer360Skeleton() {
  const { t } = useTranslation('customer');
  return (
    <div className="c360" role="status" aria-label={t('loading')}>
      <SkeletonBlock width="6rem" height="1rem" />
      <div className="c360-header">
        <div className="c360-header-main">
          <SkeletonBlock width="16rem" height="2rem" />
          <SkeletonBlock width="10rem" height="1.25rem" />
          <div className="c360-figures">
            {[0, 1, 2].map((index) => (
              <SkeletonBlock key={index} width="100%" height="3.5rem" />
            ))}
          </div>
        </div>
      </div>
      <SkeletonBlock width="100%" height="2.5rem" />
      <SkeletonBlock width="100%" height="12rem" />
    </div>
  );
}
