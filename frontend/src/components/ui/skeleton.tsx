import type { CSSProperties } from 'react';

export interface SkeletonBlockProps {
  width?: CSSProperties['width'];
  height?: CSSProperties['height'];
  className?: string;
}

/**
 * One grey placeholder of a known size, for layouts whose shape is known before the data (a
 * header, cards, a table). Hidden from assistive technology: the container around the blocks
 * carries role="status" and says what is loading.
 */
export function SkeletonBlock({ width = '100%', height = '1rem', className }: SkeletonBlockProps) {
  return (
    <span
      aria-hidden="true"
      className={['skeleton-line', className].filter(Boolean).join(' ')}
      style={{ width, height, display: 'block' }}
    />
  );
}
