import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

export interface EmptyStateProps {
  icon?: LucideIcon;
  title: string;
  description?: string;
  /** A button or link that gets the person out of the empty state ("Add a customer"). */
  action?: ReactNode;
  /** The heading level that fits the page around it (a page title is usually h1). */
  headingLevel?: 2 | 3;
}

export function EmptyState({ icon: Icon, title, description, action, headingLevel = 2 }: EmptyStateProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="state-panel" aria-label={title}>
      {Icon ? <Icon aria-hidden="true" size={40} className="state-icon" /> : null}
      <Heading className="state-title">{title}</Heading>
      {description ? <p className="state-description">{description}</p> : null}
      {action ? <div className="state-action">{action}</div> : null}
    </section>
  );
}
