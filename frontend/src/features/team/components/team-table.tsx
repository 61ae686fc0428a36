import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { RoleBadge } from '@/components/role-badge.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatRelative } from '@/lib/dates.ts';
import { TEAM_ROLES, type TeamRole } from '@/lib/permissions.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import { type DirectoryMember } from '../api/team.ts';
import { useInviteMember, useUpdateMember } from '../hooks/use-team.ts';
import { inviteErrorKey, memberChangeErrorKey } from '../utils/team-errors.ts';
import { DeactivateMemberDialog } from './deactivate-member-dialog.tsx';

import './team.css';

export interface TeamTableProps {
  members: DirectoryMember[];
  /** The signed-in member: their own row offers no actions, so nobody locks themselves out. */
  currentUserId: string;
  /** Admins change roles and access; everyone else reads the list. */
  canManage: boolean;
}

/**
 * The team as a table (a list of cards on narrow screens). Role changes save at once from the
 * select; taking someone's access away asks first.
 */
export function TeamTable({ members, currentUserId, canManage }: TeamTableProps) {
  const { t } = useTranslation('settings');
  const zoneAndLanguage = useZoneAndLanguage();
  const update = useUpdateMember();
  const resend = useInviteMember();
  const [deactivating, setDeactivating] = useState<DirectoryMember | null>(null);
  const busyId = update.isPending ? update.variables.userId : null;

  const changeRole = (member: DirectoryMember, role: TeamRole) =>
    update.mutate(
      { userId: member.user_id, change: { role } },
      {
        onSuccess: () =>
          toast.success(t('team.roleChanged', { name: member.full_name, role: t(`team.roles.${role}`) })),
        onError: (error) => toast.error(t(memberChangeErrorKey(error))),
      },
    );

  const setActive = (member: DirectoryMember, active: boolean) =>
    update.mutate(
      { userId: member.user_id, change: { active } },
      {
        onSuccess: () => {
          setDeactivating(null);
          toast.success(t(active ? 'team.reactivated' : 'team.deactivated', { name: member.full_name }));
        },
        onError: (error) => toast.error(t(memberChangeErrorKey(error))),
      },
    );

  const resendInvitation = (member: DirectoryMember) =>
    resend.mutate(
      { email: member.email, fullName: member.full_name, role: member.role },
      {
        onSuccess: (result) =>
          result.ok
            ? toast.success(t('team.invite.resent', { email: member.email }))
            : toast.error(t(inviteErrorKey(result.code))),
        onError: () => toast.error(t('team.invite.errors.failed')),
      },
    );

  return (
    <>
      <Table
        className="card-table team-table"
        caption={t('team.tableCaption')}
        columns={[
          { label: t('team.columns.member') },
          { label: t('team.columns.role') },
          { label: t('team.columns.timeZone') },
          { label: t('team.columns.status') },
          { label: t('team.columns.lastSignIn') },
          canManage ? { label: t('team.columns.actions'), hideLabel: true } : null,
        ]}
      >
        {members.map((member) => {
          const isSelf = member.user_id === currentUserId;
          const manageable = canManage && !isSelf;
          return (
            <tr key={member.user_id} data-inactive={!member.active || undefined}>
              <th scope="row">
                <span className="team-member">
                  <span className="team-member-name">
                    {member.full_name}
                    {isSelf ? <span className="team-you">{t('team.you')}</span> : null}
                  </span>
                  <span className="team-member-email">{member.email}</span>
                </span>
              </th>
              <td data-label={t('team.columns.role')}>
                {manageable && member.active ? (
                  <select
                    className="team-role-select"
                    aria-label={t('team.roleFor', { name: member.full_name })}
                    value={member.role}
                    disabled={busyId === member.user_id}
                    onChange={(event) => changeRole(member, event.target.value as TeamRole)}
                  >
                    {TEAM_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`team.roles.${role}`)}
                      </option>
                    ))}
                  </select>
                ) : (
                  <RoleBadge role={member.role} label={t(`team.roles.${member.role}`)} />
                )}
              </td>
              <td data-label={t('team.columns.timeZone')}>{member.timezone.replace(/_/g, ' ')}</td>
              <td data-label={t('team.columns.status')}>
                <MemberStatus member={member} />
              </td>
              <td data-label={t('team.columns.lastSignIn')}>
                {member.last_sign_in_at ? formatRelative(member.last_sign_in_at, zoneAndLanguage) : t('team.never')}
              </td>
              {canManage ? (
                <td>
                  <div className="team-actions">
                    {manageable && member.invitation_pending && member.active ? (
                      <Button
                        variant="secondary"
                        pending={resend.isPending && resend.variables.email === member.email}
                        pendingLabel={t('team.invite.sending')}
                        onClick={() => resendInvitation(member)}
                        aria-label={t('team.resendFor', { name: member.full_name })}
                      >
                        {t('team.resend')}
                      </Button>
                    ) : null}
                    {manageable ? (
                      member.active ? (
                        <Button
                          variant="secondary"
                          onClick={() => setDeactivating(member)}
                          aria-label={t('team.deactivateFor', { name: member.full_name })}
                        >
                          {t('team.deactivate')}
                        </Button>
                      ) : (
                        <Button
                          variant="secondary"
                          pending={busyId === member.user_id}
                          pendingLabel={t('team.saving')}
                          onClick={() => setActive(member, true)}
                          aria-label={t('team.reactivateFor', { name: member.full_name })}
                        >
                          {t('team.reactivate')}
                        </Button>
                      )
                    ) : null}
                  </div>
                </td>
              ) : null}
            </tr>
          );
        })}
      </Table>
      <DeactivateMemberDialog
        member={deactivating}
        pending={update.isPending}
        onCancel={() => setDeactivating(null)}
        onConfirm={(member) => setActive(member, false)}
      />
    </>
  );
}

function MemberStatus({ member }: { member: DirectoryMember }) {
  const { t } = useTranslation('settings');
  if (!member.active) return <span className="team-status team-status-inactive">{t('team.status.deactivated')}</span>;
  if (member.invitation_pending)
    return <span className="team-status team-status-pending">{t('team.status.invited')}</span>;
  return <span className="team-status team-status-active">{t('team.status.active')}</span>;
}
