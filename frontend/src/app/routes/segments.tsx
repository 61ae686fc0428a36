import { Boxes } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

export function SegmentsRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.segments')}
      icon={Boxes}
      emptyTitle={t('sections.segments.emptyTitle')}
      emptyDescription={t('sections.segments.emptyDescription')}
    />
  );
}
