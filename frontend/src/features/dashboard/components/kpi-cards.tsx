import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { StatCard, StatCardSkeleton, type Trend } from '@/components/ui/stat-card.tsx';
import { formatChange, formatMoney, formatNumber } from '@/lib/format.ts';
import type { Language } from '@/lib/i18n.ts';

import type { DashboardKpis } from '../api/dashboard.ts';
import { toKpis, type Kpi } from '../utils/kpis.ts';

import './dashboard.css';

/** Changes smaller than half a per mille read as "0%": no arrow for noise. */
const FLAT = 0.0005;

function trendOf(change: number | null): Trend {
  if (change === null || Math.abs(change) < FLAT) return 'flat';
  return change > 0 ? 'up' : 'down';
}

export interface KpiCardsProps {
  kpis: DashboardKpis;
  language: Language;
}

/** The five key figures of the month, each with how it compares. */
export function KpiCards({ kpis, language }: KpiCardsProps) {
  const { t } = useTranslation('dashboard');
  const headingId = useId();
  const format = (kpi: Pick<Kpi, 'kind'>, value: number) =>
    kpi.kind === 'money' ? formatMoney(value, kpis.base_currency, language) : formatNumber(value, language);
  return (
    <section className="kpi-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        {t('kpis.heading')}
      </h2>
      <div className="kpi-grid">
        {toKpis(kpis).map((kpi) => (
          <StatCard
            key={kpi.id}
            label={t(`kpis.${kpi.id}`)}
            value={format(kpi, kpi.value)}
            trend={trendOf(kpi.change)}
            comparison={
              kpi.change === null
                ? undefined
                : t(`kpis.change.${kpi.baseline}`, { change: formatChange(kpi.change, language) })
            }
            detail={
              kpi.previous === null
                ? t('kpis.noComparison')
                : t(`kpis.previous.${kpi.baseline}`, { value: format(kpi, kpi.previous) })
            }
          />
        ))}
      </div>
    </section>
  );
}

/** Five grey cards where the figures will be, announced once as loading. */
export function KpiCardsSkeleton() {
  const { t } = useTranslation('dashboard');
  return (
    <div className="kpi-section" role="status" aria-label={t('kpis.loading')}>
      <div className="kpi-grid">
        {Array.from({ length: 5 }, (_, index) => (
          <StatCardSkeleton key={index} />
        ))}
      </div>
    </div>
  );
}
