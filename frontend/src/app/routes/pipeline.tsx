import { KanbanSquare } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptySection } from '../layout/section-page.tsx';

export function PipelineRoute() {
  const { t } = useTranslation('shell');
  return (
    <EmptySection
      title={t('nav.pipeline')}
      icon={KanbanSquare}
      emptyTitle={t('sections.pipeline.emptyTitle')}
      emptyDescription={t('sections.pipeline.emptyDescription')}
    />
  );
}
