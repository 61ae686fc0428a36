import { useTranslation } from 'react-i18next';

import { PipelineScreen } from '@/features/pipeline/components/pipeline-screen.tsx';

import { SectionPage } from '../layout/section-page.tsx';

/** /pipeline: the deal board (or list) of a pipeline, with totals and the weighted forecast. */
export function PipelineRoute() {
  const { t } = useTranslation('shell');
  return (
    <SectionPage title={t('nav.pipeline')}>
      <PipelineScreen />
    </SectionPage>
  );
}
