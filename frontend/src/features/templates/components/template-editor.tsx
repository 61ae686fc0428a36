import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, CheckCircle2, Send } from 'lucide-react';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { languagesOptions } from '@/api/reference.ts';
import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { isLanguage } from '@/lib/i18n.ts';
import { useViewer } from '@/lib/viewer.ts';

import {
  customerLanguagesOptions,
  previewCustomerOptions,
  PURPOSES,
  saveVariant,
  templateKeys,
  templateOptions,
  testSend,
  updateTemplate,
  variablesOptions,
  type EmailPurpose,
  type Template,
  type VariantInput,
} from '../api/templates.ts';
import { lintTemplate, type LintIssue } from '../utils/lint.ts';
import { fillPlaceholders } from '../utils/render.ts';
import styles from './templates.module.css';

function VariantEditor({
  templateId,
  variant,
  draft,
  onChange,
  languageName,
}: {
  templateId: string;
  variant: Template['variants'][number] | undefined;
  draft: VariantInput;
  onChange: (draft: VariantInput) => void;
  languageName: string;
}) {
  const { t } = useTranslation('templates');
  const queryClient = useQueryClient();
  const textId = useId();
  const htmlId = useId();
  const save = useMutation({
    mutationFn: () => saveVariant(templateId, draft, variant?.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: templateKeys.all }),
  });
  const changed =
    !variant ||
    variant.subject !== draft.subject ||
    variant.body_text !== draft.body_text ||
    variant.body_html !== draft.body_html;
  return (
    <fieldset className={styles.variant}>
      <legend>
        {languageName}
        {variant ? ` · ${t('version', { version: variant.version })}` : ` · ${t('unsaved')}`}
      </legend>
      <TextField
        label={t('fields.subject', { language: languageName })}
        value={draft.subject}
        maxLength={300}
        onChange={(event) => onChange({ ...draft, subject: event.target.value })}
      />
      <div className="field">
        <label htmlFor={textId}>{t('fields.bodyText', { language: languageName })}</label>
        <textarea
          id={textId}
          rows={6}
          value={draft.body_text}
          onChange={(event) => onChange({ ...draft, body_text: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={htmlId}>{t('fields.bodyHtml', { language: languageName })}</label>
        <textarea
          id={htmlId}
          rows={6}
          value={draft.body_html}
          onChange={(event) => onChange({ ...draft, body_html: event.target.value })}
        />
      </div>
      <FormError message={save.error ? t('errors.save', { reason: save.error.message }) : null} />
      <Button
        variant="secondary"
        onClick={() => save.mutate()}
        pending={save.isPending}
        pendingLabel={t('saving')}
        disabled={!changed || !draft.subject.trim() || !draft.body_text.trim() || !draft.body_html.trim()}
      >
        {t('saveVariant', { language: languageName })}
      </Button>
    </fieldset>
  );
}

function issueText(
  issue: LintIssue,
  t: (key: string, values?: Record<string, unknown>) => string,
  name: (code: string) => string,
) {
  switch (issue.kind) {
    case 'unknownVariable':
      return t('lint.unknownVariable', { name: `{{${issue.name}}}`, language: name(issue.language) });
    case 'missingVariable':
      return t('lint.missingVariable', { name: `{{${issue.name}}}`, language: name(issue.language) });
    case 'missingVariant':
      return t('lint.missingVariant', { count: issue.customers, language: name(issue.language) });
    case 'unsafeLink':
      return t('lint.unsafeLink', { link: issue.link, language: name(issue.language) });
  }
}

/** One template: its details, its language variants side by side, lint, preview, test send, versions. */
export function TemplateEditor({ templateId }: { templateId: string }) {
  const { t } = useTranslation('templates');
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const template = useQuery(templateOptions(templateId));
  const variables = useQuery(variablesOptions());
  const customerLanguages = useQuery(customerLanguagesOptions());
  const languages = useQuery(languagesOptions());
  const [drafts, setDrafts] = useState<Record<string, VariantInput>>({});
  const [details, setDetails] = useState<{ name: string; purpose: EmailPurpose } | null>(null);
  const [addLanguage, setAddLanguage] = useState('');
  const [previewLanguage, setPreviewLanguage] = useState('');
  const [customerEmail, setCustomerEmail] = useState('');
  const [lookup, setLookup] = useState('');
  const previewCustomer = useQuery({ ...previewCustomerOptions(lookup), enabled: lookup !== '' });

  const saveDetails = useMutation({
    mutationFn: (input: { name: string; purpose: EmailPurpose }) => updateTemplate(templateId, input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: templateKeys.all }),
  });
  const send = useMutation({
    mutationFn: (input: { key: string; language: string }) => testSend(input.key, viewer.email, input.language),
  });

  const name = useMemo(() => {
    const names = new Map((languages.data ?? []).map((item) => [item.code, item.name]));
    return (code: string) => names.get(code) ?? code;
  }, [languages.data]);

  if (template.isPending) return <LoadingState />;
  if (template.isError) return <ErrorState description={t('errors.load')} onRetry={() => void template.refetch()} />;
  if (!template.data) return <p>{t('errors.notFound')}</p>;
  const data = template.data;
  // The form shows the saved text until it is edited.
  const current: Record<string, VariantInput> = Object.fromEntries(
    data.variants.map((v) => [
      v.language,
      drafts[v.language] ?? {
        language: v.language,
        subject: v.subject,
        body_text: v.body_text,
        body_html: v.body_html,
      },
    ]),
  );
  for (const [language, draft] of Object.entries(drafts)) current[language] ??= draft;
  const shown = details ?? { name: data.name, purpose: data.purpose };
  const issues = lintTemplate(
    Object.values(current),
    (variables.data ?? []).map((v) => v.name),
    customerLanguages.data ?? [],
  );
  const missing = (languages.data ?? []).filter((item) => !current[item.code]);

  const language = previewLanguage || (current.de ? 'de' : (Object.keys(current)[0] ?? 'en'));
  const fallback = current[language] ? language : current.en ? 'en' : Object.keys(current)[0];
  const source = fallback ? current[fallback] : undefined;
  const example = Object.fromEntries((variables.data ?? []).map((v) => [v.name, v.example]));
  const customer = previewCustomer.data;
  const values: Record<string, unknown> = customer
    ? {
        ...example,
        first_name: customer.first_name ?? '',
        last_name: customer.last_name ?? '',
        full_name: customer.full_name ?? '',
        email: customer.email ?? '',
        company: customer.company ?? '',
        agent_name: viewer.fullName,
      }
    : { ...example, agent_name: viewer.fullName };
  const zone = { timeZone: viewer.timeZone, language: isLanguage(viewer.language) ? viewer.language : 'en' } as const;

  return (
    <div className={styles.editor}>
      <form
        className={styles.details}
        aria-label={t('details')}
        onSubmit={(event) => {
          event.preventDefault();
          saveDetails.mutate(shown);
        }}
      >
        <TextField
          label={t('fields.name')}
          value={shown.name}
          maxLength={200}
          onChange={(event) => setDetails({ ...shown, name: event.target.value })}
        />
        <SelectField
          label={t('fields.purpose')}
          value={shown.purpose}
          onChange={(event) => setDetails({ ...shown, purpose: event.target.value as EmailPurpose })}
          options={PURPOSES.map((purpose) => ({ value: purpose, label: t(`purpose.${purpose}`) }))}
        />
        <p className={styles.hint}>{t(`purposeHint.${shown.purpose}`)}</p>
        <Button type="submit" variant="secondary" pending={saveDetails.isPending} pendingLabel={t('saving')}>
          {t('saveDetails')}
        </Button>
      </form>

      <section aria-label={t('lint.label')} className={styles.lint}>
        <h3>{t('lint.label')}</h3>
        {issues.length === 0 ? (
          <p className={styles.ok}>
            <CheckCircle2 aria-hidden="true" size={16} /> {t('lint.none')}
          </p>
        ) : (
          <ul>
            {issues.map((issue, i) => (
              <li key={i} className={styles.issue}>
                <AlertTriangle aria-hidden="true" size={16} /> {issueText(issue, t, name)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-label={t('variants')}>
        <h3>{t('variants')}</h3>
        <div className={styles.variants}>
          {Object.values(current).map((draft) => (
            <VariantEditor
              key={draft.language}
              templateId={templateId}
              variant={data.variants.find((v) => v.language === draft.language)}
              draft={draft}
              languageName={name(draft.language)}
              onChange={(next) => setDrafts((all) => ({ ...all, [draft.language]: next }))}
            />
          ))}
        </div>
        {missing.length ? (
          <div className={styles.addVariant}>
            <SelectField
              label={t('addLanguage')}
              value={addLanguage}
              onChange={(event) => setAddLanguage(event.target.value)}
              options={[
                { value: '', label: t('chooseLanguage') },
                ...missing.map((item) => ({ value: item.code, label: item.name })),
              ]}
            />
            <Button
              variant="secondary"
              disabled={!addLanguage}
              onClick={() => {
                const base = current.en ?? Object.values(current)[0];
                setDrafts((all) => ({
                  ...all,
                  [addLanguage]: { ...(base ?? { subject: '', body_text: '', body_html: '' }), language: addLanguage },
                }));
                setPreviewLanguage(addLanguage);
                setAddLanguage('');
              }}
            >
              {t('addVariant')}
            </Button>
          </div>
        ) : null}
      </section>

      <section aria-label={t('preview.label')} className={styles.preview}>
        <h3>{t('preview.label')}</h3>
        <div className={styles.previewControls}>
          <SelectField
            label={t('preview.language')}
            value={language}
            onChange={(event) => setPreviewLanguage(event.target.value)}
            options={(languages.data ?? []).map((item) => ({ value: item.code, label: item.name }))}
          />
          <form
            className={styles.customerLookup}
            onSubmit={(event) => {
              event.preventDefault();
              setLookup(customerEmail.trim());
            }}
          >
            <TextField
              label={t('preview.customer')}
              type="email"
              value={customerEmail}
              onChange={(event) => setCustomerEmail(event.target.value)}
            />
            <Button type="submit" variant="secondary">
              {t('preview.use')}
            </Button>
          </form>
        </div>
        {lookup && previewCustomer.data === null ? <p role="status">{t('preview.noCustomer')}</p> : null}
        <p className={styles.hint}>
          {customer ? t('preview.forCustomer', { email: customer.email }) : t('preview.withExamples')}
          {fallback && fallback !== language
            ? ` ${t('preview.fallback', { wanted: name(language), used: name(fallback) })}`
            : ''}
        </p>
        {source ? (
          <div className={styles.previewBox} data-testid="template-editor-preview" aria-live="polite">
            <p>
              <strong>{t('fields.subjectPlain')}:</strong> {fillPlaceholders(source.subject, values)}
            </p>
            <div className={styles.previewText}>{fillPlaceholders(source.body_text, values)}</div>
          </div>
        ) : null}
        <div className={styles.testSend}>
          <Button
            variant="secondary"
            onClick={() => send.mutate({ key: data.key, language })}
            pending={send.isPending}
            pendingLabel={t('sending')}
          >
            <Send aria-hidden="true" size={16} />
            {t('testSend', { email: viewer.email })}
          </Button>
          {send.isSuccess ? <p role="status">{t('testSent', { email: viewer.email })}</p> : null}
          <FormError message={send.error ? t('errors.testSend', { reason: send.error.message }) : null} />
        </div>
      </section>

      <section aria-label={t('versions.label')}>
        <h3>{t('versions.label')}</h3>
        <ul className={styles.versions}>
          {data.versions.map((version) => (
            <li key={version.id}>
              {t('versions.entry', {
                language: name(version.language),
                version: version.version,
                when: formatDateTime(version.created_at, zone),
              })}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
