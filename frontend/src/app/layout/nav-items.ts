import {
  BarChart3,
  Boxes,
  CheckSquare,
  KanbanSquare,
  Inbox,
  LayoutDashboard,
  Megaphone,
  Settings,
  ShieldCheck,
  ShoppingBag,
  Users,
  Workflow,
  type LucideIcon,
} from 'lucide-react';

import type { Capability } from '@/lib/permissions.ts';

export type SectionId =
  | 'dashboard'
  | 'customers'
  | 'inbox'
  | 'orders'
  | 'pipeline'
  | 'tasks'
  | 'segments'
  | 'automation'
  | 'campaigns'
  | 'analytics'
  | 'privacy'
  | 'settings';

export interface NavItem {
  id: SectionId;
  path: string;
  icon: LucideIcon;
  /** Shown only to members who have it (the page checks too, and the database decides). */
  capability?: Capability;
}

/** The sidebar's sections, in order; labels come from shell:nav.<id>. */
export const NAV_ITEMS: NavItem[] = [
  { id: 'dashboard', path: '/', icon: LayoutDashboard },
  { id: 'customers', path: '/customers', icon: Users },
  { id: 'inbox', path: '/inbox', icon: Inbox },
  { id: 'orders', path: '/orders', icon: ShoppingBag },
  { id: 'pipeline', path: '/pipeline', icon: KanbanSquare },
  { id: 'tasks', path: '/tasks', icon: CheckSquare },
  { id: 'segments', path: '/segments', icon: Boxes },
  { id: 'automation', path: '/automation', icon: Workflow },
  { id: 'campaigns', path: '/campaigns', icon: Megaphone },
  { id: 'analytics', path: '/analytics', icon: BarChart3 },
  { id: 'privacy', path: '/privacy', icon: ShieldCheck, capability: 'workPrivacyRequests' },
  { id: 'settings', path: '/settings', icon: Settings },
];
