import { useTranslation } from 'react-i18next';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PipelineAdmin } from '@/features/pipeline/components/pipeline-admin.tsx';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { SectionPage } from '../layout/section-page.tsx';

/** /pipeline/manage: admins edit pipelines and stages (the database refuses everyone else). */
export function PipelineAdminRoute() {
  const { t } = useTranslation('pipeline');
  const viewer = useViewer();
  return (
    <SectionPage title={t('admin.title')}>
      {can(viewer, 'managePipelines') ? <PipelineAdmin /> : <EmptyState title={t('admin.adminsOnly')} />}
    </SectionPage>
  );
}
