import { Mountain } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';

import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { NAV_ITEMS } from './nav-items.ts';

export interface SidebarProps {
  id: string;
  /** Only matters on small screens, where the sidebar slides over the page. */
  open: boolean;
  onNavigate: () => void;
}

export function Sidebar({ id, open, onNavigate }: SidebarProps) {
  const { t } = useTranslation('shell');
  const viewer = useViewer();
  const items = NAV_ITEMS.filter((item) => !item.capability || can(viewer, item.capability));
  return (
    <aside id={id} className="sidebar" data-open={open}>
      <div className="brand">
        <Mountain aria-hidden="true" size={22} />
        <span>Cairn</span>
      </div>
      <nav aria-label={t('nav.label')}>
        <ul className="nav-list">
          {items.map(({ id: section, path, icon: Icon }) => (
            <li key={section}>
              <NavLink to={path} end={path === '/'} className="nav-link" onClick={onNavigate}>
                <Icon aria-hidden="true" size={18} />
                <span>{t(`nav.${section}`)}</span>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </aside>
  );
}
