/**
 * The customers list's state as it lives in the URL: search, filters, sort and the page cursor.
 * Parsing is forgiving (an unknown value is dropped, never an error), so an old or hand-edited
 * link, or a saved view from an earlier version, always opens a working list.
 */
import { z } from 'zod/mini';

import { MAX_SEARCH_LENGTH } from '@/lib/search.ts';

export const CUSTOMER_STATUSES = ['active', 'inactive', 'vip', 'blocked'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** Email marketing consent as the list filters it: the latest ledger event is a grant, or not. */
export const CONSENT_FILTERS = ['granted', 'not_granted'] as const;
export type ConsentFilter = (typeof CONSENT_FILTERS)[number];

export const SORT_KEYS = ['name', 'ltv', 'orders', 'last_order', 'created'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

/** The direction a column sorts in when first clicked: names A→Z, figures and dates biggest first. */
export const DEFAULT_DIRECTION: Record<SortKey, SortDirection> = {
  name: 'asc',
  ltv: 'desc',
  orders: 'desc',
  last_order: 'desc',
  created: 'desc',
};

export const DEFAULT_SORT: SortKey = 'ltv';

/** A position in the list: the last (or first) row's sort value and id. */
export interface Cursor {
  value: string | number | null;
  id: string;
}

export interface ListFilters {
  status?: CustomerStatus;
  stage?: string;
  country?: string;
  tag?: string;
  /** A team member's id, or 'none' for customers nobody owns. */
  owner?: string;
  consent?: ConsentFilter;
  /** A segment's id: only its members (segment_customer_list). */
  segment?: string;
}

export interface ListParams extends ListFilters {
  q: string;
  sort: SortKey;
  dir: SortDirection;
  after?: Cursor;
  before?: Cursor;
}

export const FILTER_KEYS = ['status', 'stage', 'country', 'tag', 'owner', 'consent', 'segment'] as const;

const uuid = z.uuid();
const slug = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/));
const countryCode = z.string().check(z.regex(/^[A-Z]{2}$/));
const cursorSchema = z.tuple([z.union([z.string(), z.number(), z.null()]), uuid]);

function pick<T>(schema: z.ZodMiniType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function parseCursor(raw: string | null): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const tuple = pick(cursorSchema, JSON.parse(raw));
    return tuple ? { value: tuple[0], id: tuple[1] } : undefined;
  } catch {
    return undefined;
  }
}

export function encodeCursor(cursor: Cursor): string {
  return JSON.stringify([cursor.value, cursor.id]);
}

export function parseListParams(search: URLSearchParams): ListParams {
  const sort = pick(z.enum(SORT_KEYS), search.get('sort')) ?? DEFAULT_SORT;
  const params: ListParams = {
    q: (search.get('q') ?? '').slice(0, MAX_SEARCH_LENGTH),
    sort,
    dir: pick(z.enum(['asc', 'desc']), search.get('dir')) ?? DEFAULT_DIRECTION[sort],
    status: pick(z.enum(CUSTOMER_STATUSES), search.get('status')),
    stage: pick(slug, search.get('stage')),
    country: pick(countryCode, search.get('country')),
    tag: pick(uuid, search.get('tag')),
    owner: pick(z.union([uuid, z.literal('none')]), search.get('owner')),
    consent: pick(z.enum(CONSENT_FILTERS), search.get('consent')),
    segment: pick(uuid, search.get('segment')),
  };
  const after = parseCursor(search.get('after'));
  const before = after ? undefined : parseCursor(search.get('before'));
  return { ...params, ...(after ? { after } : {}), ...(before ? { before } : {}) };
}

/** The URL for a state; defaults are left out so links stay short and readable. */
export function serializeListParams(params: ListParams): URLSearchParams {
  const search = new URLSearchParams();
  if (params.q.trim()) search.set('q', params.q);
  for (const key of FILTER_KEYS) {
    const value = params[key];
    if (value) search.set(key, value);
  }
  if (params.sort !== DEFAULT_SORT) search.set('sort', params.sort);
  if (params.dir !== DEFAULT_DIRECTION[params.sort]) search.set('dir', params.dir);
  if (params.after) search.set('after', encodeCursor(params.after));
  else if (params.before) search.set('before', encodeCursor(params.before));
  return search;
}

export function hasActiveFilters(params: ListParams): boolean {
  return params.q.trim() !== '' || FILTER_KEYS.some((key) => params[key] !== undefined);
}

/** What a saved view keeps: everything but the page position. */
export function viewStateOf(params: ListParams): Record<string, string> {
  return Object.fromEntries(serializeListParams({ ...params, after: undefined, before: undefined }));
}

export function paramsFromViewState(state: unknown): ListParams {
  const entries =
    state && typeof state === 'object'
      ? Object.entries(state).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      : [];
  return parseListParams(new URLSearchParams(entries));
}
