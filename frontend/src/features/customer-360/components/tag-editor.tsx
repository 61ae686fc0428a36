import { Plus, X } from 'lucide-react';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

import { ChipList, TagChip } from '@/components/tag-chip.tsx';
import { Button } from '@/components/ui/button.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { CustomerTag } from '../api/customer.ts';
import { useTagMutations, useTags } from '../hooks/use-tags.ts';

export interface TagEditorProps {
  customerId: string;
  tags: CustomerTag[];
  /** May tag and untag this customer (the customer_tags policies). */
  canEdit: boolean;
  /** May add a name to the shared tag list. */
  canCreate: boolean;
}

/**
 * The customer's tags as chips. People who may tag get a remove button on each chip and a field
 * that suggests the team's tags (a native datalist: keyboard and mobile friendly for free);
 * a name that matches no tag creates it, when the role may.
 */
export function TagEditor({ customerId, tags, canEdit, canCreate }: TagEditorProps) {
  const { t } = useTranslation('customer');
  const listId = useId();
  const inputId = useId();
  const [name, setName] = useState('');
  const allTags = useTags(canEdit);
  const { add, remove, create } = useTagMutations(customerId);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return;
    if (tags.some((tag) => tag.name.toLowerCase() === wanted.toLowerCase())) {
      setName('');
      return;
    }
    const existing = allTags.data?.find((tag) => tag.name.toLowerCase() === wanted.toLowerCase());
    const onError = () => toast.error(t('tags.saveFailed'));
    if (existing) add.mutate(existing, { onError });
    else if (canCreate && wanted.length <= 50) create.mutate(wanted, { onError });
    else {
      toast.error(t('tags.unknown', { name: wanted }));
      return;
    }
    setName('');
  };

  const available = (allTags.data ?? []).filter((tag) => !tags.some((own) => own.id === tag.id));
  return (
    <div className="c360-tags">
      {tags.length === 0 ? <p className="c360-muted">{t('tags.none')}</p> : null}
      <ChipList label={t('tags.label')}>
        {tags.map((tag) => (
          <TagChip
            key={tag.id}
            as="li"
            name={tag.name}
            colour={tag.colour}
            action={
              canEdit ? (
                <button
                  type="button"
                  className="tag-remove"
                  aria-label={t('tags.remove', { name: tag.name })}
                  onClick={() => remove.mutate(tag, { onError: () => toast.error(t('tags.saveFailed')) })}
                >
                  <X aria-hidden="true" size={14} />
                </button>
              ) : null
            }
          />
        ))}
      </ChipList>
      {canEdit ? (
        <form className="tag-add" onSubmit={onSubmit}>
          <label htmlFor={inputId} className="visually-hidden">
            {t('tags.add')}
          </label>
          <input
            id={inputId}
            list={listId}
            value={name}
            maxLength={50}
            placeholder={canCreate ? t('tags.placeholderCreate') : t('tags.placeholder')}
            onChange={(event) => setName(event.target.value)}
          />
          <datalist id={listId}>
            {available.map((tag) => (
              <option key={tag.id} value={tag.name} />
            ))}
          </datalist>
          <Button type="submit" variant="secondary" pending={create.isPending} aria-label={t('tags.add')}>
            <Plus aria-hidden="true" size={16} />
          </Button>
        </form>
      ) : null}
    </div>
  );
}
