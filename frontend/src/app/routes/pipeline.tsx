import { useTranslation } from 'react-i18next';

import { PipelineScreen } from '@/features/pipeline/components/pipeline-screen.tsx';
import { prefetchBoard } from '@/features/pipeline/hooks/prefetch-board.ts';
import { queryClient } from '@/lib/query-client.ts';
import { prefetchMember } from '@/lib/viewer.ts';

import { SectionPage } from '../layout/section-page.tsx';

/**
 * Called by the router as soon as this page's code has arrived (router.tsx): asks for the board
 * (pipelines, stages, the cards in one call, the forecast) once we know someone is signed in,
 * while the shell and the page are still being revealed, if the person is still on /pipeline.
 */
export function prefetch(): void {
  if (window.location.pathname !== '/pipeline') return;
  void prefetchMember().then((member) => {
    if (!member || window.location.pathname !== '/pipeline') return;
    prefetchBoard(queryClient, new URLSearchParams(window.location.search));
  });
}

/** /pipeline: the deal board (or list) of a pipeline, with totals and the weighted forecast. */
export function PipelineRoute() {
  const { t } = useTranslation('shell');
  return (
    <SectionPage title={t('nav.pipeline')}>
      <PipelineScreen />
    </SectionPage>
  );
}
