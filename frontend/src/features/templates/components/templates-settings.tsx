import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FileText } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { createTemplate, PURPOSES, templateKeys, templateListOptions, type EmailPurpose } from '../api/templates.ts';
import { TemplateEditor } from './template-editor.tsx';
import styles from './templates.module.css';

const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Settings → Templates: the workspace's email templates (alerts included) and their editor. */
export function TemplatesSettings() {
  const { t } = useTranslation('templates');
  const queryClient = useQueryClient();
  const [searchParams, setSearchParams] = useSearchParams();
  const list = useQuery(templateListOptions());
  const [draft, setDraft] = useState({ key: '', name: '', purpose: 'transactional' as EmailPurpose });
  const create = useMutation({
    mutationFn: () => createTemplate(draft),
    onSuccess: (id) => {
      setDraft({ key: '', name: '', purpose: 'transactional' });
      setSearchParams({ template: id }, { replace: true });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: templateKeys.all }),
  });

  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState description={t('errors.load')} onRetry={() => void list.refetch()} />;
  const selected = searchParams.get('template') ?? list.data[0]?.id ?? null;
  const keyError = draft.key && !KEY_PATTERN.test(draft.key) ? t('errors.key') : undefined;
  return (
    <div className={styles.layout}>
      <div className={styles.sidebar}>
        <nav aria-label={t('listLabel')}>
          {list.data.length === 0 ? (
            <EmptyState
              icon={FileText}
              title={t('empty.title')}
              description={t('empty.description')}
              headingLevel={3}
            />
          ) : (
            <ul className={styles.list}>
              {list.data.map((template) => (
                <li key={template.id}>
                  <button
                    type="button"
                    className={styles.listButton}
                    aria-current={template.id === selected ? 'true' : undefined}
                    onClick={() => setSearchParams({ template: template.id }, { replace: true })}
                  >
                    <span>{template.name}</span>
                    <span className="badge">{t(`purpose.${template.purpose}`)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <form
          className={styles.create}
          aria-label={t('create.label')}
          onSubmit={(event) => {
            event.preventDefault();
            if (!keyError && draft.key && draft.name.trim()) create.mutate();
          }}
        >
          <h3>{t('create.label')}</h3>
          <TextField
            label={t('fields.name')}
            value={draft.name}
            maxLength={200}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
          />
          <TextField
            label={t('fields.key')}
            value={draft.key}
            error={keyError}
            onChange={(event) => setDraft({ ...draft, key: event.target.value })}
          />
          <SelectField
            label={t('fields.purpose')}
            value={draft.purpose}
            onChange={(event) => setDraft({ ...draft, purpose: event.target.value as EmailPurpose })}
            options={PURPOSES.map((purpose) => ({ value: purpose, label: t(`purpose.${purpose}`) }))}
          />
          <FormError message={create.error ? t('errors.create', { reason: create.error.message }) : null} />
          <Button type="submit" pending={create.isPending} pendingLabel={t('saving')}>
            {t('create.submit')}
          </Button>
        </form>
      </div>
      <div className={styles.main}>{selected ? <TemplateEditor key={selected} templateId={selected} /> : null}</div>
    </div>
  );
}
