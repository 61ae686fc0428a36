import { Search } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { MAX_SEARCH_LENGTH } from '@/lib/search.ts';

export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The list's search box. What is typed stays local and reaches the URL once typing pauses, so
 * keystrokes neither refetch nor fill the history. Escape clears it at once.
 */
export function CustomerSearch({ value, onSearch }: { value: string; onSearch: (query: string) => void }) {
  const { t } = useTranslation('customers');
  const id = useId();
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  const [sent, setSent] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  // The URL changed: show its query, unless it is the one this box just sent (the person may
  // have typed on since, and their newer text must not be overwritten).
  if (value !== seen) {
    setSeen(value);
    if (value !== sent) setText(value);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  const search = (query: string, delay: number) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setSent(query);
      onSearch(query);
    }, delay);
  };

  return (
    <div className="field customers-search">
      <label htmlFor={id}>{t('search.label')}</label>
      <div className="customers-search-box">
        <Search aria-hidden="true" size={16} />
        <input
          id={id}
          type="search"
          value={text}
          maxLength={MAX_SEARCH_LENGTH}
          placeholder={t('search.placeholder')}
          autoComplete="off"
          onChange={(event) => {
            setText(event.currentTarget.value);
            search(event.currentTarget.value, SEARCH_DEBOUNCE_MS);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && text) {
              event.preventDefault();
              setText('');
              search('', 0);
            }
          }}
        />
      </div>
    </div>
  );
}
