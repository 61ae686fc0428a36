import type { ReactNode } from 'react';

import styles from './tag-chip.module.css';

export interface TagChipProps {
  name: string;
  /** `#rrggbb`: the dot and the outline. */
  colour: string;
  /** `li` inside a ChipList. */
  as?: 'span' | 'li';
  /** A control after the name (the 360's "remove" button). */
  action?: ReactNode;
}

/** A tag as customers show it: its colour as a dot and outline, the name in readable text. */
export function TagChip({ name, colour, as: Element = 'span', action }: TagChipProps) {
  return (
    <Element className={styles.chip} style={{ borderColor: colour }}>
      <span className={styles.dot} style={{ background: colour }} aria-hidden="true" />
      {name}
      {action}
    </Element>
  );
}

/** A wrapping row of chips: TagChips rendered `as="li"`, or any `li` chips. */
export function ChipList({ label, children }: { label?: string; children: ReactNode }) {
  return (
    <ul className={styles.list} aria-label={label}>
      {children}
    </ul>
  );
}
