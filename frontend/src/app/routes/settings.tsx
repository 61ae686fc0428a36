import {
  ChevronLeft,
  ChevronRight,
  Clock,
  Coins,
  ListPlus,
  Tags,
  UserRound,
  Users,
  type LucideIcon,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router-dom';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { CustomFieldsSettings } from '@/features/settings/components/custom-fields-settings.tsx';
import { ScheduledJobsSettings } from '@/features/settings/components/scheduled-jobs-settings.tsx';
import { TagsSettings } from '@/features/settings/components/tags-settings.tsx';
import { WorkspaceSettings } from '@/features/settings/components/workspace-settings.tsx';
import type { TeamRole } from '@/features/team/api/team.ts';
import { TeamSettings } from '@/features/team/components/team-settings.tsx';
import { useCurrentMember } from '@/features/team/hooks/use-current-member.ts';

import { SectionPage } from '../layout/section-page.tsx';

import './settings.css';

type PageId = 'team' | 'tags' | 'customFields' | 'workspace' | 'scheduledJobs';

interface SettingsPage {
  id: PageId;
  path: string;
  icon: LucideIcon;
  /** Roles the page is for. The database enforces the rules; this only avoids offering a page of refusals. */
  roles: readonly TeamRole[];
}

const ALL: readonly TeamRole[] = ['admin', 'manager', 'agent', 'readonly'];

const PAGES: SettingsPage[] = [
  { id: 'team', path: 'team', icon: Users, roles: ALL },
  { id: 'tags', path: 'tags', icon: Tags, roles: ALL },
  { id: 'customFields', path: 'custom-fields', icon: ListPlus, roles: ['admin'] },
  { id: 'workspace', path: 'workspace', icon: Coins, roles: ['admin'] },
  { id: 'scheduledJobs', path: 'scheduled-jobs', icon: Clock, roles: ['admin'] },
];

/** The settings area: the index of cards and its pages, nested under /settings/*. */
export function SettingsRoute() {
  const member = useCurrentMember();
  const role = member.data?.active ? member.data.role : null;
  if (member.isPending) return <Skeleton lines={4} />;
  return (
    <Routes>
      <Route index element={<SettingsIndex role={role} />} />
      <Route path="team" element={<SettingsSubpage id="team" role={role} />} />
      <Route path="tags" element={<SettingsSubpage id="tags" role={role} />} />
      <Route path="custom-fields" element={<SettingsSubpage id="customFields" role={role} />} />
      <Route path="workspace" element={<SettingsSubpage id="workspace" role={role} />} />
      <Route path="scheduled-jobs" element={<SettingsSubpage id="scheduledJobs" role={role} />} />
      <Route path="*" element={<SettingsNotFound />} />
    </Routes>
  );
}

function SettingsCard({
  to,
  icon: Icon,
  title,
  summary,
}: {
  to: string;
  icon: LucideIcon;
  title: string;
  summary: string;
}) {
  return (
    <li>
      <Link to={to} className="settings-card">
        <Icon aria-hidden="true" size={22} />
        <span>
          <strong>{title}</strong>
          <span>{summary}</span>
        </span>
        <ChevronRight aria-hidden="true" size={18} />
      </Link>
    </li>
  );
}

/** One card per page the member's role may use; their own profile is always there. */
function SettingsIndex({ role }: { role: TeamRole | null }) {
  const { t } = useTranslation('settings');
  return (
    <SectionPage title={t('title')}>
      <ul className="settings-index">
        <SettingsCard
          to="/settings/profile"
          icon={UserRound}
          title={t('profile.title')}
          summary={t('profile.summary')}
        />
        {PAGES.filter((page) => role && page.roles.includes(role)).map((page) => (
          <SettingsCard
            key={page.id}
            to={`/settings/${page.path}`}
            icon={page.icon}
            title={t(`pages.${page.id}.title`)}
            summary={t(`pages.${page.id}.summary`)}
          />
        ))}
      </ul>
    </SectionPage>
  );
}

const CONTENT: Record<PageId, (props: { role: TeamRole }) => ReactNode> = {
  team: () => <TeamSettings />,
  // Tags are shared: admins and managers edit them, agents may add new ones (RLS on tags).
  tags: ({ role }) => <TagsSettings canEdit={role === 'admin' || role === 'manager'} canCreate={role !== 'readonly'} />,
  customFields: () => <CustomFieldsSettings />,
  workspace: () => <WorkspaceSettings />,
  scheduledJobs: () => <ScheduledJobsSettings />,
};

function SettingsSubpage({ id, role }: { id: PageId; role: TeamRole | null }) {
  const { t } = useTranslation('settings');
  const page = PAGES.find((candidate) => candidate.id === id);
  const allowedRole = role !== null && page?.roles.includes(role) ? role : null;
  return (
    <SectionPage title={t(`pages.${id}.title`)}>
      <Link to="/settings" className="settings-back">
        <ChevronLeft aria-hidden="true" size={16} />
        {t('backToSettings')}
      </Link>
      {allowedRole ? (
        CONTENT[id]({ role: allowedRole })
      ) : (
        <EmptyState icon={page?.icon} title={t('notForYourRole.title')} description={t('notForYourRole.description')} />
      )}
    </SectionPage>
  );
}

function SettingsNotFound() {
  const { t } = useTranslation('settings');
  return (
    <SectionPage title={t('notFound.title')}>
      <EmptyState
        title={t('notFound.title')}
        description={t('notFound.description')}
        action={<Link to="/settings">{t('backToSettings')}</Link>}
      />
    </SectionPage>
  );
}
