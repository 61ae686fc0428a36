import { useTranslation } from 'react-i18next';

import { segmentsOptions } from '@/api/segments.ts';
import { SegmentsScreen } from '@/features/segments/components/segments-screen.tsx';
import { queryClient } from '@/lib/query-client.ts';

import { SectionPage } from '../layout/section-page.tsx';

/** Called by the router as soon as this page's code has arrived: asks for the segments at once. */
export function prefetch(): void {
  if (window.location.pathname !== '/segments') return;
  void queryClient.prefetchQuery(segmentsOptions());
}

/** /segments: build, count, save, share and export segments of customers. */
export function SegmentsRoute() {
  const { t } = useTranslation('segments');
  return (
    <SectionPage title={t('title')}>
      <SegmentsScreen />
    </SectionPage>
  );
}
