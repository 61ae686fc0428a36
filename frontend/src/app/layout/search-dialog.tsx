import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

import { Dialog } from '@/components/ui/dialog.tsx';
import { GlobalSearch } from '@/features/search/components/global-search.tsx';

export interface SearchDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** Global search over customers and orders (Ctrl/Cmd+K); picking a result opens its page. */
export function SearchDialog({ open, onOpenChange }: SearchDialogProps) {
  const { t } = useTranslation('shell');
  const navigate = useNavigate();
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t('search.title')}
      description={t('search.description')}
      hideDescription
      className="search-dialog"
      // Straight into the input, not the close button: people open search to type.
      initialFocus={inputRef}
    >
      {/* Radix unmounts the content when closed, so each opening starts with an empty search. */}
      <GlobalSearch
        inputRef={inputRef}
        onOpen={(href) => {
          onOpenChange(false);
          navigate(href);
        }}
      />
    </Dialog>
  );
}
