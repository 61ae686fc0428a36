import { useTranslation } from 'react-i18next';

import { flowsOptions } from '@/features/automation/api/flows.ts';
import { AutomationScreen } from '@/features/automation/components/automation-screen.tsx';
import { prefetchFlowChoices } from '@/features/automation/hooks/use-flow-choices.ts';
import { queryClient } from '@/lib/query-client.ts';

import { SectionPage } from '../layout/section-page.tsx';

/**
 * Called by the router as soon as this page's code has arrived: asks for the flows at once, and
 * when a flow is open (`?flow=`) for the editor's pickers too (the editor waits for all of them),
 * beside the member's row instead of after the page's first render.
 */
export function prefetch(): void {
  if (window.location.pathname !== '/automation') return;
  void queryClient.prefetchQuery(flowsOptions());
  if (new URLSearchParams(window.location.search).has('flow')) prefetchFlowChoices(queryClient);
}

/** /automation: flows that run themselves — trigger, steps, goal — and each customer's path. */
export function AutomationRoute() {
  const { t } = useTranslation('automation');
  return (
    <SectionPage title={t('title')}>
      <AutomationScreen />
    </SectionPage>
  );
}
