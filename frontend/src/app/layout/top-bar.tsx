import { Menu, Search } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { NotificationBell } from '@/features/notifications/components/notification-bell.tsx';

import { UserMenu } from './user-menu.tsx';

export interface TopBarProps {
  sidebarId: string;
  sidebarOpen: boolean;
  onToggleSidebar: () => void;
  onOpenSearch: () => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function TopBar({ sidebarId, sidebarOpen, onToggleSidebar, onOpenSearch }: TopBarProps) {
  const { t } = useTranslation('shell');
  return (
    <header className="top-bar">
      <button
        type="button"
        className="icon-button menu-button"
        aria-label={t('nav.toggle')}
        aria-expanded={sidebarOpen}
        aria-controls={sidebarId}
        onClick={onToggleSidebar}
      >
        <Menu aria-hidden="true" size={20} />
      </button>
      <button
        type="button"
        className="search-trigger"
        onClick={onOpenSearch}
        aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
      >
        <Search aria-hidden="true" size={16} />
        <span>{t('search.trigger')}</span>
        <kbd aria-hidden="true">{isMac ? '⌘K' : 'Ctrl K'}</kbd>
      </button>
      <NotificationBell />
      <UserMenu />
    </header>
  );
}
