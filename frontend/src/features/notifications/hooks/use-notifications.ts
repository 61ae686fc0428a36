import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';

import { teamMemberKeys } from '@/api/team-members.ts';

import {
  digestHourOptions,
  latestOptions,
  markAllRead,
  markRead,
  notificationKeys,
  preferencesOptions,
  setDigestHour,
  setPreference,
  subscribeToNotifications,
  unreadCountOptions,
  type NotificationDelivery,
  type NotificationKind,
} from '../api/notifications.ts';

export const useUnreadCount = (userId: string) => useQuery(unreadCountOptions(userId));
export const useLatestNotifications = (userId: string, limit?: number, enabled = true) =>
  useQuery({ ...latestOptions(userId, limit), enabled });
export const usePreferences = (userId: string) => useQuery(preferencesOptions(userId));
export const useDigestHour = (userId: string) => useQuery(digestHourOptions(userId));

/**
 * Keeps the bell live (ADR 0003): an insert or update on the member's notifications refetches
 * the count and the list through the same RLS-checked queries; after a reconnect too.
 */
export function useNotificationsRealtime(userId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
    return subscribeToNotifications(userId, refresh, refresh);
  }, [userId, queryClient]);
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllRead,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useSetPreference(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, delivery }: { kind: NotificationKind; delivery: NotificationDelivery }) =>
      setPreference(userId, kind, delivery),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.preferences(userId) }),
  });
}

export function useSetDigestHour(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (hour: number) => setDigestHour(userId, hour),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.digestHour(userId) });
      // A change to a member's row: everything that reads the team sees it.
      void queryClient.invalidateQueries({ queryKey: teamMemberKeys.all });
    },
  });
}
