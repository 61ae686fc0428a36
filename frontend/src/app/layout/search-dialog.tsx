import { Search } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Dialog } from '@/components/ui/dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';

export interface SearchDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** Global search over customers and orders (Ctrl/Cmd+K). Results are wired in with the customers list. */
export function SearchDialog({ open, onOpenChange }: SearchDialogProps) {
  const { t } = useTranslation('shell');
  const [query, setQuery] = useState('');
  const inputId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const trimmed = query.trim();
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setQuery('');
        onOpenChange(next);
      }}
      title={t('search.title')}
      description={t('search.description')}
      hideDescription
      className="search-dialog"
      // Straight into the input, not the close button: people open search to type.
      initialFocus={inputRef}
    >
      <div className="search-input">
        <Search aria-hidden="true" size={18} />
        <label htmlFor={inputId} className="visually-hidden">
          {t('search.inputLabel')}
        </label>
        <input
          id={inputId}
          ref={inputRef}
          type="search"
          autoComplete="off"
          placeholder={t('search.placeholder')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div aria-live="polite">
        {trimmed ? (
          <EmptyState title={t('search.noResults', { query: trimmed })} headingLevel={3} />
        ) : (
          <EmptyState title={t('search.empty')} headingLevel={3} />
        )}
      </div>
    </Dialog>
  );
}
