import type { ReactNode } from 'react';

import styles from './card.module.css';

export interface CardProps {
  /** The heading, which also names the region. */
  title: string;
  /** The feature's own class, for what only it styles inside. */
  className?: string;
  children: ReactNode;
}

/** A titled panel on a detail page: a named region with its heading. */
export function Card({ title, className, children }: CardProps) {
  return (
    <section className={[styles.card, className].filter(Boolean).join(' ')} aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
