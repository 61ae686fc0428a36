import { useTranslation } from 'react-i18next';

import { SkeletonBlock } from '@/components/ui/skeleton.tsx';

/** Rows in the table's shape while orders load. */
export function OrdersTableSkeleton({ rows = 6 }: { rows?: number }) {
  const { t } = useTranslation('orders');
  return (
    <div className="orders-table-wrap orders-skeleton" role="status" aria-label={t('loading')}>
      {Array.from({ length: rows }, (_, index) => (
        <SkeletonBlock key={index} height="1.75rem" />
      ))}
    </div>
  );
}
