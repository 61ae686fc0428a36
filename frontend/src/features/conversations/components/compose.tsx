import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, Info, Paperclip, Send, X } from 'lucide-react';
import { useId, useState, type Ref } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { useViewer } from '@/lib/viewer.ts';

import {
  attachmentProblem,
  conversationKeys,
  permissionOptions,
  previewOptions,
  recipientOptions,
  SendError,
  sendMessage,
  templatesOptions,
  uploadAttachments,
  type EmailPurpose,
} from '../api/conversations.ts';
import { recipientVariables, replySubject } from '../utils/variables.ts';
import styles from './conversations.module.css';

export interface ComposeProps {
  customerId: string;
  /** The thread answered; none: the message opens a new conversation. */
  thread?: { id: string; subject: string } | null;
  onSent?: (threadId: string) => void;
  bodyRef?: Ref<HTMLTextAreaElement>;
}

/** The name of a language in the viewer's language ("German", "Deutsch"). */
function languageName(code: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Writing to a customer: a template (previewed live in the customer's language, with the
 * fallback said and empty variables flagged) or a message of one's own. The emailing rule is the
 * database's (email_permission): a refusal is shown before sending; send-email applies it again.
 */
export function Compose({ customerId, thread, onSent, bodyRef }: ComposeProps) {
  const { t } = useTranslation('messages');
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const bodyId = useId();
  const [templateId, setTemplateId] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [sentNotice, setSentNotice] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const fileId = useId();

  const recipient = useQuery(recipientOptions(customerId));
  const templates = useQuery(templatesOptions());
  const template = templates.data?.find((candidate) => candidate.id === templateId) ?? null;
  const purpose: EmailPurpose = template?.purpose ?? 'transactional';
  const language = recipient.data?.language ?? 'en';
  const variables = recipient.data ? recipientVariables(recipient.data, viewer.fullName) : {};
  const preview = useQuery({ ...previewOptions(templateId, language, variables), enabled: Boolean(template) });
  const permission = useQuery(permissionOptions(customerId, purpose));

  const send = useMutation({
    mutationFn: async () => {
      // Uploaded first (all or none), into the customer's folder; send-email reads them as the member.
      const attachments = await uploadAttachments(customerId, files);
      return sendMessage({
        customerId,
        threadId: thread?.id,
        attachments,
        ...(template
          ? { templateKey: template.key, variables: {} }
          : { message: { subject: thread ? replySubject(thread.subject) : subject, body } }),
      });
    },
    onSuccess: (result) => {
      setBody('');
      setSubject('');
      setTemplateId('');
      setFiles([]);
      setSentNotice(true);
      onSent?.(result.thread_id);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: conversationKeys.all }),
  });

  const refusal =
    permission.data && !permission.data.allowed ? t(`reasons.${permission.data.reason ?? 'not_found'}`) : null;
  const fileProblems = files.flatMap((file) => {
    const problem = attachmentProblem(file);
    return problem ? [t(`compose.files.${problem}`, { name: file.name })] : [];
  });
  const ready =
    fileProblems.length === 0 &&
    (template ? Boolean(preview.data) : body.trim() !== '' && (thread || subject.trim() !== ''));
  const error = send.error
    ? send.error instanceof SendError && send.error.code === 'conflict'
      ? t('errors.draft', { reason: send.error.message })
      : t('errors.failed', { reason: send.error.message })
    : null;

  return (
    <form
      className={styles.compose}
      aria-label={thread ? t('compose.replyLabel') : t('compose.newLabel')}
      onSubmit={(event) => {
        event.preventDefault();
        setSentNotice(false);
        if (ready && !refusal) send.mutate();
      }}
    >
      <SelectField
        label={t('compose.template')}
        value={templateId}
        onChange={(event) => setTemplateId(event.target.value)}
        options={[
          { value: '', label: t('compose.noTemplate') },
          ...(templates.data ?? []).map((item) => ({
            value: item.id,
            label: `${item.name} (${t(`purpose.${item.purpose}`)})`,
          })),
        ]}
      />
      {template ? (
        <section className={styles.preview} aria-label={t('compose.preview')} aria-live="polite">
          {preview.isPending ? <p>{t('compose.previewLoading')}</p> : null}
          {preview.isError ? <p role="alert">{t('compose.previewFailed')}</p> : null}
          {preview.data ? (
            <>
              <p className={styles.notice}>
                <Info aria-hidden="true" size={16} />
                {preview.data.fell_back
                  ? t('compose.fallback', {
                      wanted: languageName(language, viewer.language),
                      used: languageName(preview.data.used_language, viewer.language),
                    })
                  : t('compose.inLanguage', { language: languageName(preview.data.used_language, viewer.language) })}
              </p>
              {preview.data.empty_variables.length ? (
                <div className={styles.warning} role="status">
                  <AlertTriangle aria-hidden="true" size={16} />
                  <span>
                    {t('compose.emptyVariables', {
                      names: preview.data.empty_variables.map((name) => `{{${name}}}`).join(', '),
                    })}
                  </span>
                </div>
              ) : null}
              <p className={styles.previewSubject}>
                <span className={styles.label}>{t('compose.subject')}:</span> {preview.data.subject}
              </p>
              <div className={styles.previewBody} data-testid="template-preview">
                {preview.data.body_text}
              </div>
            </>
          ) : null}
        </section>
      ) : (
        <>
          {thread ? null : (
            <TextField
              label={t('compose.subject')}
              value={subject}
              maxLength={300}
              onChange={(event) => setSubject(event.target.value)}
            />
          )}
          <div className="field">
            <label htmlFor={bodyId}>{t('compose.body')}</label>
            <textarea
              id={bodyId}
              ref={bodyRef}
              rows={5}
              maxLength={50000}
              value={body}
              onChange={(event) => setBody(event.target.value)}
            />
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor={fileId}>
          <Paperclip aria-hidden="true" size={14} /> {t('compose.files.attach')}
        </label>
        <input
          id={fileId}
          type="file"
          multiple
          onChange={(event) => {
            const chosen = [...(event.target.files ?? [])];
            setFiles((current) => [...current, ...chosen].slice(0, 10));
            event.target.value = '';
          }}
        />
        {files.length ? (
          <ul className={styles.attachments} aria-label={t('compose.files.list')}>
            {files.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                {file.name}{' '}
                <button
                  type="button"
                  className={styles.removeFile}
                  aria-label={t('compose.files.remove', { name: file.name })}
                  onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}
                >
                  <X aria-hidden="true" size={14} />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {fileProblems.map((problem) => (
          <p key={problem} className="field-error" role="alert">
            {problem}
          </p>
        ))}
      </div>
      {refusal ? (
        <div className={styles.warning} role="status">
          <AlertTriangle aria-hidden="true" size={16} />
          <span>{t('compose.refused', { reason: refusal })}</span>
        </div>
      ) : null}
      <FormError message={error} />
      {sentNotice && !send.isPending ? (
        <p role="status" className={styles.notice}>
          {t('compose.sent')}
        </p>
      ) : null}
      <div className={styles.composeActions}>
        <Button
          type="submit"
          pending={send.isPending}
          pendingLabel={t('compose.sending')}
          disabled={!ready || Boolean(refusal)}
        >
          <Send aria-hidden="true" size={16} />
          {t('compose.send')}
        </Button>
      </div>
    </form>
  );
}
