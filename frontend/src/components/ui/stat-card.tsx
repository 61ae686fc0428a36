import { Minus, TrendingDown, TrendingUp } from 'lucide-react';
import { useId } from 'react';

import './stat-card.css';

export type Trend = 'up' | 'down' | 'flat';

export interface StatCardProps {
  label: string;
  /** The figure, already formatted for the viewer's language ("€12,340.50"). */
  value: string;
  /** How it moved, in words that carry the sign ("+12% vs last month"), so colour is never the only cue. */
  comparison?: string;
  trend?: Trend;
  /** The figure compared with, or why there is none ("Last month: €11,000"). */
  detail?: string;
}

const TREND_ICONS = { up: TrendingUp, down: TrendingDown, flat: Minus } as const;

/** One key figure: a labelled group, so screen readers announce the label with the number. */
export function StatCard({ label, value, comparison, trend = 'flat', detail }: StatCardProps) {
  const labelId = useId();
  const TrendIcon = TREND_ICONS[trend];
  return (
    <div className="stat-card" role="group" aria-labelledby={labelId}>
      <p id={labelId} className="stat-card-label">
        {label}
      </p>
      <p className="stat-card-value">{value}</p>
      {comparison ? (
        <p className={`stat-card-comparison stat-card-${trend}`}>
          <TrendIcon aria-hidden="true" size={16} />
          <span>{comparison}</span>
        </p>
      ) : null}
      {detail ? <p className="stat-card-detail">{detail}</p> : null}
    </div>
  );
}

/** The card's shape in grey while its figure loads; the grid around it carries the status label. */
export function StatCardSkeleton() {
  return (
    <div className="stat-card stat-card-skeleton" aria-hidden="true">
      <span className="skeleton-line" />
      <span className="skeleton-line stat-card-skeleton-value" />
      <span className="skeleton-line" />
    </div>
  );
}
