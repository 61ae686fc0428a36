import { infiniteQueryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Json } from '@/types/database.types.ts';

export const TIMELINE_PAGE_SIZE = 25;

/** Where the next (older) page starts: the last entry's sort key, (occurred_at, source, ref_id). */
export interface TimelineCursor {
  occurredAt: string;
  source: string;
  refId: string;
}

export type TimelineSource = 'activity' | 'order' | 'message' | 'alert' | 'consent' | 'deal' | 'flow';

export interface TimelineEntry {
  occurredAt: string;
  source: TimelineSource;
  kind: string;
  refId: string;
  title: string | null;
  summary: string | null;
  actorId: string | null;
  data: Record<string, Json | undefined>;
}

export interface TimelinePage {
  entries: TimelineEntry[];
  next: TimelineCursor | null;
}

export const timelineKeys = {
  all: (customerId: string) => ['customer-360', customerId, 'timeline'] as const,
};

// PostgREST logic-tree values are quoted: timestamps carry ':' and '+', ids may carry anything.
const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Rows strictly older than the cursor in (occurred_at desc, source desc, ref_id desc) order. */
export function olderThan({ occurredAt, source, refId }: TimelineCursor): string {
  const at = quote(occurredAt);
  const src = quote(source);
  return [
    `occurred_at.lt.${at}`,
    `and(occurred_at.eq.${at},source.lt.${src})`,
    `and(occurred_at.eq.${at},source.eq.${src},ref_id.lt.${quote(refId)})`,
  ].join(',');
}

/**
 * One page of the customer_timeline read model, newest first, by keyset: "load older" asks for
 * rows after the last one shown, so a page costs the same however far back the person scrolls.
 */
export async function fetchTimelinePage(customerId: string, cursor: TimelineCursor | null): Promise<TimelinePage> {
  let query = supabase
    .from('customer_timeline')
    .select('occurred_at, source, kind, ref_id, title, summary, actor_id, data')
    .eq('customer_id', customerId);
  if (cursor) query = query.or(olderThan(cursor));
  const { data, error } = await query
    .order('occurred_at', { ascending: false })
    .order('source', { ascending: false })
    .order('ref_id', { ascending: false })
    .limit(TIMELINE_PAGE_SIZE + 1);
  if (error) throw error;
  const entries = data.slice(0, TIMELINE_PAGE_SIZE).map((row): TimelineEntry => ({
    occurredAt: row.occurred_at ?? '',
    source: (row.source ?? 'activity') as TimelineSource,
    kind: row.kind ?? '',
    refId: row.ref_id ?? '',
    title: row.title,
    summary: row.summary,
    actorId: row.actor_id,
    data: row.data && typeof row.data === 'object' && !Array.isArray(row.data) ? row.data : {},
  }));
  const last = entries.at(-1);
  const next =
    data.length > TIMELINE_PAGE_SIZE && last
      ? { occurredAt: last.occurredAt, source: last.source, refId: last.refId }
      : null;
  return { entries, next };
}

/** The customer's feed, newest first; the next page is older entries, by keyset. */
export const timelineOptions = (customerId: string) =>
  infiniteQueryOptions({
    queryKey: timelineKeys.all(customerId),
    queryFn: ({ pageParam }) => fetchTimelinePage(customerId, pageParam),
    initialPageParam: null as TimelineCursor | null,
    getNextPageParam: (page: TimelinePage) => page.next,
  });
