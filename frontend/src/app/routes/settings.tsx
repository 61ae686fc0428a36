import {
  ChevronLeft,
  ChevronRight,
  Clock,
  Coins,
  FileText,
  History,
  ListPlus,
  Milestone,
  Rss,
  ShieldCheck,
  Store,
  Tags,
  UserRound,
  Users,
  type LucideIcon,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router-dom';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { LifecycleRulesSettings } from '@/features/analytics/components/lifecycle-rules-settings.tsx';
import { CustomFieldsSettings } from '@/features/settings/components/custom-fields-settings.tsx';
import { ScheduledJobsSettings } from '@/features/settings/components/scheduled-jobs-settings.tsx';
import { TagsSettings } from '@/features/settings/components/tags-settings.tsx';
import { TemplatesSettings } from '@/features/templates/components/templates-settings.tsx';
import { IntegrationsSettings } from '@/features/integrations/components/integrations-settings.tsx';
import { connectionsOptions, deliveryHealthOptions, importsOptions } from '@/features/integrations/api/shopify.ts';
import { readKnownShops, rememberShops } from '@/features/integrations/utils/known-shops.ts';
import { AffiliateFeedsSettings } from '@/features/affiliate-feeds/components/affiliate-feeds-settings.tsx';
import { AuditLog } from '@/features/privacy/components/audit-log.tsx';
import { RetentionSettings } from '@/features/privacy/components/retention-settings.tsx';
import { WorkspaceSettings } from '@/features/settings/components/workspace-settings.tsx';
import { TeamSettings } from '@/features/team/components/team-settings.tsx';
import { can, type Capability } from '@/lib/permissions.ts';
import { queryClient } from '@/lib/query-client.ts';
import { signedInUserId, useViewer, type Viewer } from '@/lib/viewer.ts';

import { SectionPage } from '../layout/section-page.tsx';

import './settings.css';

type PageId =
  | 'team'
  | 'tags'
  | 'customFields'
  | 'templates'
  | 'workspace'
  | 'scheduledJobs'
  | 'lifecycle'
  | 'integrations'
  | 'retention'
  | 'audit'
  | 'affiliateFeeds';

interface SettingsPage {
  id: PageId;
  path: string;
  icon: LucideIcon;
  /**
   * What the page is for (src/lib/permissions.ts); null: every member reads it. The database
   * enforces the rules; this only avoids offering a page of refusals.
   */
  capability: Capability | null;
  /**
   * The namespace of its title and summary (`pages.<id>.…` in settings, else `<textRoot>page.…`
   * there).
   */
  namespace?: 'integrations' | 'portal';
  textRoot?: string;
}

const PAGES: SettingsPage[] = [
  { id: 'team', path: 'team', icon: Users, capability: null },
  { id: 'tags', path: 'tags', icon: Tags, capability: null },
  { id: 'customFields', path: 'custom-fields', icon: ListPlus, capability: 'manageCustomFields' },
  { id: 'templates', path: 'templates', icon: FileText, capability: 'editTemplates' },
  { id: 'workspace', path: 'workspace', icon: Coins, capability: 'editWorkspace' },
  { id: 'scheduledJobs', path: 'scheduled-jobs', icon: Clock, capability: 'viewJobHealth' },
  { id: 'lifecycle', path: 'lifecycle', icon: Milestone, capability: 'editLifecycleRules' },
  {
    id: 'integrations',
    path: 'integrations',
    icon: Store,
    capability: 'manageIntegrations',
    namespace: 'integrations',
  },
  {
    id: 'retention',
    path: 'retention',
    icon: ShieldCheck,
    capability: 'editWorkspace',
    namespace: 'portal',
    textRoot: 'retention.',
  },
  { id: 'audit', path: 'audit', icon: History, capability: 'viewAuditLog', namespace: 'portal', textRoot: 'audit.' },
  {
    id: 'affiliateFeeds',
    path: 'affiliate-feeds',
    icon: Rss,
    capability: 'manageAffiliateFeeds',
    namespace: 'portal',
    textRoot: 'feeds.',
  },
];

/** A page's title or summary, from its own namespace when it has one. */
const pageText = (page: SettingsPage, part: 'title' | 'summary') =>
  page.namespace ? `${page.namespace}:${page.textRoot ?? ''}page.${part}` : `pages.${page.id}.${part}`;

const offers = (viewer: Viewer, page: SettingsPage | undefined) =>
  page !== undefined && (page.capability === null || can(viewer, page.capability));

/**
 * Called by the router as soon as this page's code has arrived: on Settings → Integrations, asks
 * for the connected stores, the imports and the delivery health of the stores this member saw
 * last time, beside the member's row instead of after the panel's first render (and the health of
 * any other store once the list has come). The database answers only an admin; for anyone else
 * the page is not offered and nothing of it is shown.
 */
export function prefetch(): void {
  const userId = signedInUserId();
  if (window.location.pathname !== '/settings/integrations' || !userId) return;
  const health = (shopId: string) => void queryClient.prefetchQuery(deliveryHealthOptions(shopId));
  readKnownShops(userId).forEach(health);
  void queryClient.prefetchQuery(importsOptions());
  void queryClient
    .fetchQuery(connectionsOptions())
    .then((connections) => {
      const shopIds = connections.map((connection) => connection.shop_id);
      shopIds.forEach(health); // already asked for: answered from the cache, or joins that request
      rememberShops(userId, shopIds);
    })
    .catch(() => undefined);
}

/** The settings area: the index of cards and its pages, nested under /settings/*. */
export function SettingsRoute() {
  return (
    <Routes>
      <Route index element={<SettingsIndex />} />
      <Route path="team" element={<SettingsSubpage id="team" />} />
      <Route path="tags" element={<SettingsSubpage id="tags" />} />
      <Route path="custom-fields" element={<SettingsSubpage id="customFields" />} />
      <Route path="templates" element={<SettingsSubpage id="templates" />} />
      <Route path="workspace" element={<SettingsSubpage id="workspace" />} />
      <Route path="scheduled-jobs" element={<SettingsSubpage id="scheduledJobs" />} />
      <Route path="lifecycle" element={<SettingsSubpage id="lifecycle" />} />
      <Route path="integrations" element={<SettingsSubpage id="integrations" />} />
      <Route path="retention" element={<SettingsSubpage id="retention" />} />
      <Route path="audit" element={<SettingsSubpage id="audit" />} />
      <Route path="affiliate-feeds" element={<SettingsSubpage id="affiliateFeeds" />} />
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
function SettingsIndex() {
  const { t } = useTranslation('settings');
  const viewer = useViewer();
  return (
    <SectionPage title={t('title')}>
      <ul className="settings-index">
        <SettingsCard
          to="/settings/profile"
          icon={UserRound}
          title={t('profile.title')}
          summary={t('profile.summary')}
        />
        {PAGES.filter((page) => offers(viewer, page)).map((page) => (
          <SettingsCard
            key={page.id}
            to={`/settings/${page.path}`}
            icon={page.icon}
            title={t(pageText(page, 'title'))}
            summary={t(pageText(page, 'summary'))}
          />
        ))}
      </ul>
    </SectionPage>
  );
}

const CONTENT: Record<PageId, (props: { viewer: Viewer }) => ReactNode> = {
  team: () => <TeamSettings />,
  // Tags are shared: admins and managers edit them, agents may add new ones (RLS on tags).
  tags: ({ viewer }) => <TagsSettings canEdit={can(viewer, 'editTags')} canCreate={can(viewer, 'createTags')} />,
  customFields: () => <CustomFieldsSettings />,
  templates: () => <TemplatesSettings />,
  workspace: () => <WorkspaceSettings />,
  scheduledJobs: () => <ScheduledJobsSettings />,
  lifecycle: () => <LifecycleRulesSettings />,
  integrations: () => <IntegrationsSettings />,
  retention: () => <RetentionSettings />,
  audit: () => <AuditLog />,
  affiliateFeeds: () => <AffiliateFeedsSettings />,
};

function SettingsSubpage({ id }: { id: PageId }) {
  const { t } = useTranslation('settings');
  const viewer = useViewer();
  const page = PAGES.find((candidate) => candidate.id === id);
  return (
    <SectionPage title={page ? t(pageText(page, 'title')) : ''}>
      <Link to="/settings" className="settings-back">
        <ChevronLeft aria-hidden="true" size={16} />
        {t('backToSettings')}
      </Link>
      {offers(viewer, page) ? (
        CONTENT[id]({ viewer })
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
