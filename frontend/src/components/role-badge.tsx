import type { TeamRole } from '@/lib/permissions.ts';

import styles from './role-badge.module.css';

/** A member's role; `label` is the role's name in the reader's language (each screen's namespace). */
export function RoleBadge({ role, label, className }: { role: TeamRole; label: string; className?: string }) {
  return (
    <span className={[styles.badge, className].filter(Boolean).join(' ')} data-role={role}>
      {label}
    </span>
  );
}
