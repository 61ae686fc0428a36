import { Receipt, Search, UserRound } from 'lucide-react';
import { useEffect, useId, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { formatDate } from '@/lib/dates.ts';
import { formatMoney } from '@/lib/format.ts';
import { isSearchTooLong, MAX_SEARCH_LENGTH } from '@/lib/search.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { MIN_QUERY_LENGTH } from '../api/search.ts';
import { useGlobalSearch } from '../hooks/use-global-search.ts';
import { toGroups, type SearchOption } from '../utils/options.ts';
import { HighlightedText } from './highlighted-text.tsx';

import './global-search.css';

export interface GlobalSearchProps {
  /** Focused when the dialog opens: people open search to type. */
  inputRef: RefObject<HTMLInputElement | null>;
  /** Called with the result's page ("/customers/…", "/orders/…") when the person picks it. */
  onOpen: (href: string) => void;
}

/**
 * Search over customers and orders as an ARIA combobox: focus stays in the input, ↑/↓ move the
 * active result (aria-activedescendant), Enter opens it, Escape closes the dialog around it.
 */
export function GlobalSearch({ inputRef, onOpen }: GlobalSearchProps) {
  const { t } = useTranslation('shell');
  const [input, setInput] = useState('');
  const search = useGlobalSearch(input);
  const groups = useMemo(
    () => (search.enabled && search.data ? toGroups(search.data, search.query) : []),
    [search.enabled, search.data, search.query],
  );
  const options = useMemo(() => groups.flatMap((group) => group.options), [groups]);

  // The active result is remembered by key, so it survives new results that still contain it;
  // otherwise the first result is active and Enter opens the best match.
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const found = options.findIndex((option) => option.key === activeKey);
  const activeIndex = options.length === 0 ? -1 : Math.max(found, 0);
  const active = options[activeIndex];

  const baseId = useId();
  const optionId = (option: SearchOption) => `${baseId}-${option.key}`;
  const listboxId = `${baseId}-listbox`;
  const activeId = active ? optionId(active) : undefined;
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView?.({ block: 'nearest' });
  }, [activeId]);

  const move = (step: number) => {
    if (options.length === 0) return;
    const next = (activeIndex + step + options.length) % options.length;
    setActiveKey(options[next]?.key ?? null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter' && active) {
      event.preventDefault();
      onOpen(active.href);
    }
  };

  const expanded = options.length > 0;
  return (
    <div className="global-search">
      <div className="search-input">
        <Search aria-hidden="true" size={18} />
        <input
          ref={inputRef}
          type="search"
          role="combobox"
          aria-label={t('search.inputLabel')}
          aria-expanded={expanded}
          aria-controls={expanded ? listboxId : undefined}
          aria-activedescendant={activeId}
          aria-autocomplete="list"
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_SEARCH_LENGTH}
          placeholder={t('search.placeholder')}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onKeyDown}
        />
      </div>
      {expanded ? (
        <div
          id={listboxId}
          role="listbox"
          aria-label={t('search.resultsLabel')}
          aria-busy={search.settling}
          className={search.settling ? 'search-results search-results-stale' : 'search-results'}
        >
          {groups.map((group) => (
            <div key={group.kind} role="group" aria-labelledby={`${baseId}-${group.kind}`} className="search-group">
              <div id={`${baseId}-${group.kind}`} role="presentation" className="search-group-label">
                {t(`search.groups.${group.kind}`)}
              </div>
              {group.options.map((option) => (
                <div
                  key={option.key}
                  id={optionId(option)}
                  role="option"
                  aria-selected={option === active}
                  className="search-option"
                  // Keep focus (and the caret) in the input while a result is clicked.
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => setActiveKey(option.key)}
                  onClick={() => onOpen(option.href)}
                >
                  <OptionContent option={option} query={search.query} />
                </div>
              ))}
            </div>
          ))}
        </div>
      ) : null}
      <SearchStatus
        input={input.trim()}
        query={search.query}
        results={options.length}
        pending={search.isPending && search.enabled}
        failed={search.isError}
        tooLong={isSearchTooLong(search.error)}
        onRetry={() => void search.refetch()}
      />
    </div>
  );
}

function OptionContent({ option, query }: { option: SearchOption; query: string }) {
  const { t } = useTranslation('shell');
  const zone = useZoneAndLanguage();
  if (option.kind === 'customer') {
    const { full_name, email, company, city } = option.hit;
    const title = full_name || email || t('search.unnamedCustomer');
    const details = [full_name ? email : null, company, city].filter(Boolean).join(' · ');
    return (
      <>
        <UserRound aria-hidden="true" size={18} className="search-option-icon" />
        <span className="search-option-text">
          <span className="search-option-title">
            <HighlightedText text={title} query={query} />
          </span>
          {details ? (
            <span className="search-option-meta">
              <HighlightedText text={details} query={query} />
            </span>
          ) : null}
        </span>
      </>
    );
  }
  const { order_number, customer_name, placed_at, total, currency } = option.hit;
  return (
    <>
      <Receipt aria-hidden="true" size={18} className="search-option-icon" />
      <span className="search-option-text">
        <span className="search-option-title">
          <HighlightedText text={order_number} query={query} />
        </span>
        <span className="search-option-meta">
          {[customer_name ?? t('search.guest'), formatDate(placed_at, zone)].join(' · ')}
        </span>
      </span>
      <span className="search-option-amount">{formatMoney(Number(total), currency, zone.language)}</span>
    </>
  );
}

interface SearchStatusProps {
  input: string;
  query: string;
  results: number;
  pending: boolean;
  failed: boolean;
  /** The database refused the query for its length: retrying the same text cannot help. */
  tooLong: boolean;
  onRetry: () => void;
}

/**
 * What the search is doing, in words. The live region is always in the page, so screen readers
 * announce each change (a region inserted together with its text is not read).
 */
function SearchStatus({ input, query, results, pending, failed, tooLong, onRetry }: SearchStatusProps) {
  const { t } = useTranslation('shell');
  let message: string;
  if (!input) message = t('search.empty');
  else if (input.length < MIN_QUERY_LENGTH) message = t('search.tooShort');
  else if (tooLong) message = t('search.tooLong', { max: MAX_SEARCH_LENGTH });
  else if (failed) message = t('search.failed');
  else if (pending) message = t('search.searching');
  else if (results === 0) message = t('search.noResults', { query });
  else message = t('search.resultCount', { count: results });
  const shown = results === 0 || failed;
  return (
    <div className="search-status">
      <p aria-live="polite" className={shown ? 'search-message' : 'visually-hidden'}>
        {message}
      </p>
      {failed && !tooLong ? (
        <Button variant="secondary" onClick={onRetry}>
          {t('search.retry')}
        </Button>
      ) : null}
      {results > 0 ? (
        <p className="search-keys" aria-hidden="true">
          {t('search.keysHint')}
        </p>
      ) : null}
    </div>
  );
}
