import { ListPlus, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { CustomFieldDefinition } from '@/api/custom-fields.ts';
import { useCustomFieldMutations, useCustomFields } from '../hooks/use-custom-fields.ts';
import { customFieldErrorKey } from '../utils/database-errors.ts';
import { CustomFieldDialog } from './custom-field-dialog.tsx';

import './settings.css';

type Editing = { field: CustomFieldDefinition | null } | null;

/** Admins define the extra fields kept on customers (the page is offered to admins only). */
export function CustomFieldsSettings() {
  const { t } = useTranslation('settings');
  const fields = useCustomFields();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<CustomFieldDefinition | null>(null);
  const nextPosition = Math.max(0, ...(fields.data ?? []).map((field) => field.position)) + 10;

  const createButton = (
    <Button onClick={() => setEditing({ field: null })}>
      <Plus aria-hidden="true" size={18} />
      {t('customFields.new')}
    </Button>
  );

  return (
    <section aria-labelledby="custom-fields-heading">
      <div className="settings-toolbar">
        <div>
          <h2 id="custom-fields-heading">{t('customFields.heading')}</h2>
          <p className="section-description">{t('customFields.intro')}</p>
        </div>
        {fields.data?.length ? createButton : null}
      </div>
      {fields.isPending ? (
        <Skeleton lines={4} label={t('customFields.loading')} />
      ) : fields.isError ? (
        <ErrorState description={t('loadFailed')} onRetry={() => void fields.refetch()} />
      ) : fields.data.length === 0 ? (
        <EmptyState
          icon={ListPlus}
          headingLevel={3}
          title={t('customFields.emptyTitle')}
          description={t('customFields.emptyDescription')}
          action={createButton}
        />
      ) : (
        <Table
          className="card-table settings-table"
          caption={t('customFields.heading')}
          columns={[
            { label: t('customFields.label') },
            { label: t('customFields.key') },
            { label: t('customFields.type') },
            { label: t('customFields.rules') },
            { label: t('actionsColumn'), hideLabel: true },
          ]}
        >
          {fields.data.map((field) => (
            <tr key={field.id}>
              <th scope="row">
                {field.label}
                {field.help_text ? <div className="muted">{field.help_text}</div> : null}
              </th>
              <td data-label={t('customFields.key')}>
                <code>{field.key}</code>
              </td>
              <td data-label={t('customFields.type')}>
                {t(`customFields.types.${field.type}`)}
                {field.options.length ? <div className="muted">{field.options.join(', ')}</div> : null}
              </td>
              <td data-label={t('customFields.rules')}>
                <span className="pills">
                  {field.active ? null : <span className="pill">{t('customFields.archived')}</span>}
                  {field.required ? <span className="pill">{t('customFields.requiredBadge')}</span> : null}
                </span>
              </td>
              <td>
                <div className="row-actions">
                  <Button
                    variant="secondary"
                    aria-label={t('customFields.editNamed', { label: field.label })}
                    onClick={() => setEditing({ field })}
                  >
                    <Pencil aria-hidden="true" size={16} />
                    {t('edit')}
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={t('customFields.deleteNamed', { label: field.label })}
                    onClick={() => setDeleting(field)}
                  >
                    <Trash2 aria-hidden="true" size={16} />
                    {t('delete')}
                  </Button>
                </div>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <CustomFieldDialog
        open={editing !== null}
        field={editing?.field ?? null}
        nextPosition={nextPosition}
        onOpenChange={(open) => (open ? undefined : setEditing(null))}
      />
      <DeleteCustomFieldDialog field={deleting} onClose={() => setDeleting(null)} />
    </section>
  );
}

/** The database refuses to delete a field customers hold values for; the message says to archive it. */
function DeleteCustomFieldDialog({ field, onClose }: { field: CustomFieldDefinition | null; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const { remove } = useCustomFieldMutations();
  const confirm = () => {
    if (!field) return;
    remove.mutate(field.id, {
      onSuccess: () => {
        toast.success(t('customFields.deleted', { label: field.label }));
        onClose();
      },
      onError: (error) => {
        toast.error(t(customFieldErrorKey(error, 'delete')));
        onClose();
      },
    });
  };
  return (
    <ConfirmDialog
      open={field !== null}
      title={t('customFields.deleteTitle', { label: field?.label ?? '' })}
      description={t('customFields.deleteDescription')}
      confirmLabel={t('delete')}
      pending={remove.isPending}
      pendingLabel={t('deleting')}
      onCancel={onClose}
      onConfirm={confirm}
    />
  );
}
