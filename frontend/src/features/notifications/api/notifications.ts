/**
 * The notification centre's data: the unread count (the bell), the latest notifications (the
 * panel and the page), marking read, and the member's preferences per kind. RLS shows each
 * member only their own notifications and preferences.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import { Constants, type Database, type Tables } from '@/types/database.types.ts';

export type NotificationKind = Database['public']['Enums']['notification_kind'];
export type NotificationDelivery = Database['public']['Enums']['notification_delivery'];
export const NOTIFICATION_KINDS = Constants.public.Enums.notification_kind satisfies readonly NotificationKind[];
export const DELIVERIES = Constants.public.Enums.notification_delivery satisfies readonly NotificationDelivery[];

export type AppNotification = Pick<
  Tables<'notifications'>,
  'id' | 'kind' | 'title' | 'body' | 'link' | 'data' | 'read_at' | 'created_at'
>;

export const PANEL_SIZE = 30;

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: (userId: string) => ['notifications', 'unread', userId] as const,
  latest: (userId: string, limit: number) => ['notifications', 'latest', userId, limit] as const,
  preferences: (userId: string) => ['notifications', 'preferences', userId] as const,
  digestHour: (userId: string) => ['notifications', 'preferences', userId, 'digest-hour'] as const,
};

/** The bell's count, up to UNREAD_CAP (it shows "99+" beyond 99): cheap however many are unread. */
export const UNREAD_CAP = 100;

export async function fetchUnreadCount(): Promise<number> {
  const { data, error } = await supabase.rpc('unread_notification_count', { cap: UNREAD_CAP });
  if (error) throw error;
  return data ?? 0;
}

export async function fetchLatest(userId: string, limit: number): Promise<AppNotification[]> {
  const { data, error } = await supabase
    .from('notifications')
    .select('id, kind, title, body, link, data, read_at, created_at')
    .eq('recipient_id', userId)
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(limit);
  if (error) throw error;
  return data;
}

export const unreadCountOptions = (userId: string) =>
  queryOptions({ queryKey: notificationKeys.unread(userId), queryFn: () => fetchUnreadCount() });
export const latestOptions = (userId: string, limit = PANEL_SIZE) =>
  queryOptions({ queryKey: notificationKeys.latest(userId, limit), queryFn: () => fetchLatest(userId, limit) });

export async function markRead(id: string): Promise<void> {
  const { error } = await supabase
    .from('notifications')
    .update({ read_at: new Date().toISOString() })
    .eq('id', id)
    .is('read_at', null);
  if (error) throw error;
}

export async function markAllRead(): Promise<number> {
  const { data, error } = await supabase.rpc('mark_all_notifications_read');
  if (error) throw error;
  return data;
}

export type Preferences = Partial<Record<NotificationKind, NotificationDelivery>>;

export async function fetchPreferences(): Promise<Preferences> {
  const { data, error } = await supabase.from('notification_preferences').select('kind, delivery');
  if (error) throw error;
  return Object.fromEntries(data.map((row) => [row.kind, row.delivery]));
}

export const preferencesOptions = (userId: string) =>
  queryOptions({ queryKey: notificationKeys.preferences(userId), queryFn: fetchPreferences });

/** One kind's choice; in_app is the default, kept as a row too so the choice is explicit. */
export async function setPreference(userId: string, kind: NotificationKind, delivery: NotificationDelivery) {
  const { error } = await supabase
    .from('notification_preferences')
    .upsert({ user_id: userId, kind, delivery }, { onConflict: 'user_id,kind' });
  if (error) throw error;
}

/** Live: every change to the member's notifications, on their private channel. */
export function subscribeToNotifications(userId: string, onChange: () => void, onSubscribed: () => void): () => void {
  const channel = supabase.channel(`notifications:${userId}`, { config: { private: true } });
  channel.on(
    'postgres_changes',
    { event: '*', schema: 'public', table: 'notifications', filter: `recipient_id=eq.${userId}` },
    onChange,
  );
  // Whatever arrived between the first fetch and the subscription, or while disconnected, is
  // fetched again once the channel is (re)joined.
  channel.subscribe((status) => {
    if (status === 'SUBSCRIBED') onSubscribed();
  });
  return () => {
    void supabase.removeChannel(channel);
  };
}

export const retentionKey = ['notifications', 'retention'] as const;

export async function fetchRetentionDays(): Promise<number> {
  const { data, error } = await supabase.from('workspace_settings').select('notification_retention_days').single();
  if (error) throw error;
  return data.notification_retention_days;
}

export const retentionOptions = () => queryOptions({ queryKey: retentionKey, queryFn: fetchRetentionDays });

/** Admins only (the workspace_settings policy refuses everyone else: no row comes back). */
export async function setRetentionDays(days: number): Promise<void> {
  const { data, error } = await supabase
    .from('workspace_settings')
    .update({ notification_retention_days: days })
    .eq('id', true)
    .select('notification_retention_days');
  if (error) throw error;
  if (data.length === 0) throw new Error('not allowed');
}

/** The hours a member may choose for their daily digest (0–23, in their own time zone). */
export const DIGEST_HOURS = Array.from({ length: 24 }, (_, hour) => hour);

/** The member's own digest hour (team_members.digest_hour; 8 unless they chose). */
export async function fetchDigestHour(userId: string): Promise<number> {
  const { data, error } = await supabase.from('team_members').select('digest_hour').eq('user_id', userId).single();
  if (error) throw error;
  return data.digest_hour;
}

export const digestHourOptions = (userId: string) =>
  queryOptions({ queryKey: notificationKeys.digestHour(userId), queryFn: () => fetchDigestHour(userId) });

/** Sets the member's own digest hour (the profile policy lets each member change their own row). */
export async function setDigestHour(userId: string, hour: number): Promise<void> {
  const { data, error } = await supabase
    .from('team_members')
    .update({ digest_hour: hour })
    .eq('user_id', userId)
    .select('digest_hour');
  if (error) throw error;
  if (data.length === 0) throw new Error('not allowed');
}
