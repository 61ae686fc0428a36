import { BarChart3 } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { useDashboardKpis } from '../hooks/use-dashboard.ts';
import { isEmptyWorkspace } from '../utils/kpis.ts';
import { KpiCards, KpiCardsSkeleton } from './kpi-cards.tsx';
import { MondayView } from './monday-view.tsx';
import { RevenuePanel } from './revenue-panel.tsx';

export interface DashboardOverviewProps {
  /** The viewer's IANA zone: "this month" and each day of the chart are theirs. */
  timeZone: string;
  /** Whose figures these are: the whole team's, or (agents) only the customers assigned to them. */
  scope: 'team' | 'own';
}

/** The month's key figures and the revenue chart, with their loading, empty and error states. */
export function DashboardOverview({ timeZone, scope }: DashboardOverviewProps) {
  const { t } = useTranslation('dashboard');
  const language = usePreferencesStore((state) => state.language);
  const kpis = useDashboardKpis(timeZone);

  if (kpis.isPending) return <KpiCardsSkeleton />;
  if (kpis.isError) {
    return (
      <ErrorState title={t('errors.title')} description={t('errors.description')} onRetry={() => void kpis.refetch()} />
    );
  }
  if (isEmptyWorkspace(kpis.data)) {
    return (
      <EmptyState
        icon={BarChart3}
        title={t('empty.title')}
        description={scope === 'own' ? t('empty.descriptionOwn') : t('empty.description')}
        action={
          <Link className="button button-secondary" to="/customers">
            {t('empty.action')}
          </Link>
        }
      />
    );
  }
  return (
    <>
      <KpiCards kpis={kpis.data} language={language} />
      <MondayView timeZone={timeZone} language={language} currency={kpis.data.base_currency} />
      <RevenuePanel timeZone={timeZone} language={language} currency={kpis.data.base_currency} />
    </>
  );
}
