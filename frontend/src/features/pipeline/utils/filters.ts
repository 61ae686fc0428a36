/** The board's filters and view, kept in the URL so a filtered board can be shared and reloaded. */

export type PipelineView = 'board' | 'list';

export interface BoardFilters {
  owner: string | null;
  customer: string | null;
  minAmount: number | null;
  maxAmount: number | null;
  closeFrom: string | null;
  closeTo: string | null;
}

export interface PipelineParams {
  pipeline: string | null;
  view: PipelineView;
  filters: BoardFilters;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const uuid = (value: string | null) => (value && UUID.test(value) ? value.toLowerCase() : null);
const date = (value: string | null) => (value && DATE.test(value) && !Number.isNaN(Date.parse(value)) ? value : null);
const amount = (value: string | null) => {
  if (value === null || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
};

/** Reads the URL; anything malformed is simply not a filter (a hand-edited link never breaks the page). */
export function readParams(search: URLSearchParams): PipelineParams {
  return {
    pipeline: uuid(search.get('pipeline')),
    view: search.get('view') === 'list' ? 'list' : 'board',
    filters: {
      owner: uuid(search.get('owner')),
      customer: uuid(search.get('customer')),
      minAmount: amount(search.get('min')),
      maxAmount: amount(search.get('max')),
      closeFrom: date(search.get('from')),
      closeTo: date(search.get('to')),
    },
  };
}

/** Writes the params back, leaving out defaults so the plain board stays a plain /pipeline. */
export function writeParams(params: PipelineParams, base = new URLSearchParams()): URLSearchParams {
  const next = new URLSearchParams(base);
  const set = (key: string, value: string | number | null) => {
    if (value === null || value === '') next.delete(key);
    else next.set(key, String(value));
  };
  set('pipeline', params.pipeline);
  set('view', params.view === 'board' ? null : params.view);
  set('owner', params.filters.owner);
  set('customer', params.filters.customer);
  set('min', params.filters.minAmount);
  set('max', params.filters.maxAmount);
  set('from', params.filters.closeFrom);
  set('to', params.filters.closeTo);
  return next;
}

export const NO_FILTERS: BoardFilters = {
  owner: null,
  customer: null,
  minAmount: null,
  maxAmount: null,
  closeFrom: null,
  closeTo: null,
};

export const hasFilters = (filters: BoardFilters) => Object.values(filters).some((value) => value !== null);
