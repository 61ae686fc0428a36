import { Pencil, Plus, Tags, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { TagChip } from '@/components/tag-chip.tsx';
import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatNumber } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { TagWithUsage } from '../api/tags.ts';
import { useTagUsage } from '../hooks/use-tags.ts';
import { DeleteTagDialog } from './delete-tag-dialog.tsx';
import { TagDialog } from './tag-dialog.tsx';

import './settings.css';

export interface TagsSettingsProps {
  /** Rename, recolour and delete (admins and managers: a tag is shared by every customer). */
  canEdit: boolean;
  /** Add new tags (everyone who may tag customers, agents included). */
  canCreate: boolean;
}

type Editing = { tag: TagWithUsage | null } | null;

export function TagsSettings({ canEdit, canCreate }: TagsSettingsProps) {
  const { t } = useTranslation('settings');
  const { language } = useZoneAndLanguage();
  const tags = useTagUsage();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<TagWithUsage | null>(null);

  const createButton = canCreate ? (
    <Button onClick={() => setEditing({ tag: null })}>
      <Plus aria-hidden="true" size={18} />
      {t('tags.new')}
    </Button>
  ) : null;

  return (
    <section aria-labelledby="tags-heading">
      <div className="settings-toolbar">
        <div>
          <h2 id="tags-heading">{t('tags.heading')}</h2>
          <p className="section-description">{t(canEdit ? 'tags.intro' : 'tags.readOnlyIntro')}</p>
        </div>
        {tags.data?.length ? createButton : null}
      </div>
      {tags.isPending ? (
        <Skeleton lines={5} label={t('tags.loading')} />
      ) : tags.isError ? (
        <ErrorState description={t('loadFailed')} onRetry={() => void tags.refetch()} />
      ) : tags.data.length === 0 ? (
        <EmptyState
          icon={Tags}
          headingLevel={3}
          title={t('tags.emptyTitle')}
          description={t('tags.emptyDescription')}
          action={createButton}
        />
      ) : (
        <Table
          className="card-table settings-table"
          caption={t('tags.heading')}
          columns={[
            { label: t('tags.name') },
            { label: t('tags.description') },
            { label: t('tags.customers'), className: 'numeric' },
            canEdit ? { label: t('actionsColumn'), hideLabel: true } : null,
          ]}
        >
          {tags.data.map((tag) => (
            <tr key={tag.id}>
              <th scope="row">
                <TagChip name={tag.name} colour={tag.colour} />
              </th>
              <td data-label={t('tags.description')}>{tag.description}</td>
              <td data-label={t('tags.customers')} className="numeric">
                {formatNumber(tag.customer_count, language)}
              </td>
              {canEdit ? (
                <td>
                  <div className="row-actions">
                    <Button
                      variant="secondary"
                      aria-label={t('tags.editNamed', { name: tag.name })}
                      onClick={() => setEditing({ tag })}
                    >
                      <Pencil aria-hidden="true" size={16} />
                      {t('edit')}
                    </Button>
                    <Button
                      variant="secondary"
                      aria-label={t('tags.deleteNamed', { name: tag.name })}
                      onClick={() => setDeleting(tag)}
                    >
                      <Trash2 aria-hidden="true" size={16} />
                      {t('delete')}
                    </Button>
                  </div>
                </td>
              ) : null}
            </tr>
          ))}
        </Table>
      )}
      <TagDialog
        open={editing !== null}
        tag={editing?.tag ?? null}
        onOpenChange={(open) => (open ? undefined : setEditing(null))}
      />
      <DeleteTagDialog tag={deleting} onClose={() => setDeleting(null)} />
    </section>
  );
}
