import { useTranslation } from 'react-i18next';

import { PipelineScreen } from '@/features/pipeline/components/pipeline-screen.tsx';
import { discardPrefetchedBoard, prefetchBoard } from '@/features/pipeline/hooks/prefetch-board.ts';
import { queryClient } from '@/lib/query-client.ts';
import { prefetchMember, signedInUserId } from '@/lib/viewer.ts';

import { SectionPage } from '../layout/section-page.tsx';

/**
 * Called by the router as soon as this page's code has arrived (router.tsx): asks for the board
 * (pipelines, stages, the cards in one call, the forecast) while the shell and the page are still
 * being revealed, when someone is signed in in this browser — beside the member's row, not after
 * it. Should the session turn out not to be a team member's (yet), what came back is dropped.
 */
export function prefetch(): void {
  const userId = signedInUserId();
  if (window.location.pathname !== '/pipeline' || !userId) return;
  prefetchBoard(queryClient, new URLSearchParams(window.location.search), userId);
  void prefetchMember().then((member) => {
    if (!member) discardPrefetchedBoard(queryClient);
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
