import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

import { EmptyState } from '@/components/ui/empty-state.tsx';

import { useDocumentTitle } from './use-document-title.ts';

export interface SectionPageProps {
  title: string;
  children: ReactNode;
}

/** A page in the shell: its h1 and the browser tab's title. */
export function SectionPage({ title, children }: SectionPageProps) {
  useDocumentTitle(title);
  return (
    <>
      <h1 className="page-title">{title}</h1>
      {children}
    </>
  );
}

export interface EmptySectionProps {
  title: string;
  icon: LucideIcon;
  emptyTitle: string;
  emptyDescription: string;
}

/** A section with nothing in it yet, said plainly. */
export function EmptySection({ title, icon, emptyTitle, emptyDescription }: EmptySectionProps) {
  return (
    <SectionPage title={title}>
      <EmptyState icon={icon} title={emptyTitle} description={emptyDescription} />
    </SectionPage>
  );
}
