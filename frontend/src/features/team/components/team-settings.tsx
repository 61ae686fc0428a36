import { UserPlus, Users } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { useTeamDirectory } from '../hooks/use-team.ts';
import { InviteMemberDialog } from './invite-member-dialog.tsx';
import { TeamTable } from './team-table.tsx';

/** The team page's content: who is on the team, and for admins, inviting and managing them. */
export function TeamSettings() {
  const { t } = useTranslation('settings');
  const viewer = useViewer();
  const team = useTeamDirectory();
  const [inviting, setInviting] = useState(false);
  const isAdmin = can(viewer, 'manageTeam');

  return (
    <section className="team-settings" aria-labelledby="team-heading">
      <div className="settings-toolbar">
        <div>
          <h2 id="team-heading">{t('team.members')}</h2>
          <p className="section-description">{t(isAdmin ? 'team.adminIntro' : 'team.readOnlyIntro')}</p>
        </div>
        {isAdmin ? (
          <Button onClick={() => setInviting(true)}>
            <UserPlus aria-hidden="true" size={18} />
            {t('team.invite.open')}
          </Button>
        ) : null}
      </div>
      {team.isPending ? (
        <Skeleton lines={4} label={t('team.loading')} />
      ) : team.isError ? (
        <ErrorState description={t('team.loadFailed')} onRetry={() => void team.refetch()} />
      ) : team.data.length === 0 ? (
        <EmptyState icon={Users} title={t('team.empty')} headingLevel={3} />
      ) : (
        <TeamTable members={team.data} currentUserId={viewer.userId} canManage={isAdmin} />
      )}
      {isAdmin ? <InviteMemberDialog open={inviting} onOpenChange={setInviting} /> : null}
    </section>
  );
}
