import { zodResolver } from '@hookform/resolvers/zod';
import { X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { attachmentProblem } from '@/api/attachments.ts';
import { TASK_TYPES } from '@/api/tasks.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import { useCreateActivity, useTeam } from '../hooks/use-activity-mutations.ts';
import { activitySchema, emptyActivity, type ActivityInput, type ActivityKind } from '../schemas/activity.ts';

export interface ActivityDialogProps {
  customerId: string;
  /** The kind the dialog opens with; null while closed. */
  kind: ActivityKind | null;
  onClose: () => void;
}

/** Add a note, log a call or create a task, in one Radix dialog with one zod schema. */
export function ActivityDialog({ customerId, kind, onClose }: ActivityDialogProps) {
  const { t } = useTranslation('customer');
  const { t: tFiles } = useTranslation('messages', { keyPrefix: 'activityFiles' });
  // A task's types are named as on the tasks page (the shell loads that namespace).
  const { t: tTasks } = useTranslation('tasks');
  // New tasks go to the viewer unless they pick someone else.
  const viewerId = useViewer().userId;
  const create = useCreateActivity(customerId);
  const team = useTeam();
  const bodyId = useId();
  const fileId = useId();
  // Files go with notes, calls, meetings and emails (uploaded on save, into the customer's folder).
  const [files, setFiles] = useState<File[]>([]);
  // The dialog opens on the field people came to fill: the note's text, or the task's title.
  const firstField = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ActivityInput>({
    resolver: zodResolver(activitySchema),
    defaultValues: emptyActivity(kind ?? 'note', viewerId),
  });
  // Each opening starts from a clean form of the kind that was asked for.
  useEffect(() => {
    if (kind) reset(emptyActivity(kind, viewerId));
  }, [kind, reset, viewerId]);
  // Closing forgets the chosen files, so the next opening starts without them.
  const close = () => {
    setFiles([]);
    onClose();
  };

  const current = useWatch({ control, name: 'kind' });
  const subjectField = register('subject');
  const bodyField = register('body');
  const focusOnBody = kind === 'note';
  const message = (key?: string) => (key ? t(key) : undefined);
  const withFiles = current !== 'task';
  const fileProblems = withFiles
    ? files.flatMap((file) => {
        const problem = attachmentProblem(file);
        return problem ? [tFiles(problem, { name: file.name })] : [];
      })
    : [];
  const onSubmit = handleSubmit(async (values) => {
    // The bucket's limits are said before anything is sent.
    if (fileProblems.length) return;
    try {
      await create.mutateAsync({ input: values, files: values.kind === 'task' ? [] : files });
      toast.success(t(`activity.saved.${values.kind}`));
      close();
    } catch {
      toast.error(t('activity.saveFailed'));
    }
  });

  const assignees = (team.data ?? []).filter((member) => member.active && member.role !== 'readonly');
  return (
    <Dialog
      open={kind !== null}
      onOpenChange={(open) => (open ? undefined : close())}
      title={t(`activity.titles.${current}`)}
      description={t('activity.description')}
      hideDescription
      initialFocus={firstField}
    >
      <form className="activity-form" noValidate onSubmit={onSubmit}>
        <fieldset className="kind-switch">
          <legend className="visually-hidden">{t('activity.kind')}</legend>
          {(['note', 'call', 'meeting', 'email', 'task'] as const).map((option) => (
            <label key={option} className="kind-option">
              <input type="radio" value={option} {...register('kind')} />
              <span>{t(`activity.kinds.${option}`)}</span>
            </label>
          ))}
        </fieldset>
        <TextField
          label={current === 'task' ? t('activity.taskTitle') : t('activity.subject')}
          error={message(errors.subject?.message)}
          maxLength={300}
          {...subjectField}
          ref={(element) => {
            subjectField.ref(element);
            if (!focusOnBody) firstField.current = element;
          }}
        />
        <div className="field">
          <label htmlFor={bodyId}>{current === 'note' ? t('activity.note') : t('activity.details')}</label>
          <textarea
            id={bodyId}
            rows={5}
            aria-invalid={errors.body ? true : undefined}
            aria-describedby={errors.body ? `${bodyId}-error` : undefined}
            {...bodyField}
            ref={(element) => {
              bodyField.ref(element);
              if (focusOnBody) firstField.current = element;
            }}
          />
          {errors.body?.message ? (
            <p id={`${bodyId}-error`} className="field-error">
              {t(errors.body.message)}
            </p>
          ) : null}
        </div>
        {current === 'call' || current === 'email' ? (
          <SelectField
            label={t('activity.direction')}
            options={
              current === 'call'
                ? [
                    { value: 'outbound', label: t('activity.outbound') },
                    { value: 'inbound', label: t('activity.inbound') },
                  ]
                : [
                    { value: 'outbound', label: t('activity.emailOutbound') },
                    { value: 'inbound', label: t('activity.emailInbound') },
                  ]
            }
            {...register('direction')}
          />
        ) : null}
        {current === 'meeting' ? (
          <div className="activity-task-fields">
            <TextField
              type="datetime-local"
              label={t('activity.meetingAt')}
              error={message(errors.dueAt?.message)}
              {...register('dueAt')}
            />
            <TextField
              type="number"
              min={1}
              max={1440}
              label={t('activity.duration')}
              error={message(errors.durationMinutes?.message)}
              {...register('durationMinutes')}
            />
            <TextField
              label={t('activity.attendees')}
              error={message(errors.attendees?.message)}
              {...register('attendees')}
            />
          </div>
        ) : null}
        {withFiles ? (
          <div className="field">
            <label htmlFor={fileId}>{tFiles('attach')}</label>
            <input
              id={fileId}
              type="file"
              multiple
              onChange={(event) => {
                const chosen = [...(event.target.files ?? [])];
                setFiles((existing) => [...existing, ...chosen].slice(0, 20));
                event.target.value = '';
              }}
            />
            {files.length ? (
              <ul className="activity-files" aria-label={tFiles('list')}>
                {files.map((file, index) => (
                  <li key={`${file.name}-${index}`}>
                    {file.name}{' '}
                    <button
                      type="button"
                      className="activity-file-remove"
                      aria-label={tFiles('remove', { name: file.name })}
                      onClick={() => setFiles((existing) => existing.filter((_, i) => i !== index))}
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
        ) : null}
        {current === 'task' ? (
          <div className="activity-task-fields">
            <SelectField
              label={tTasks('create.type')}
              options={TASK_TYPES.map((type) => ({ value: type, label: tTasks(`types.${type}`) }))}
              {...register('taskType')}
            />
            <TextField
              type="datetime-local"
              label={t('activity.dueAt')}
              error={message(errors.dueAt?.message)}
              {...register('dueAt')}
            />
            <SelectField
              // Re-mounted when the team arrives, so the default assignee (the viewer) is selectable.
              key={assignees.length}
              label={t('activity.assignee')}
              options={[
                { value: '', label: t('activity.unassigned') },
                ...assignees.map((member) => ({ value: member.user_id, label: member.full_name })),
              ]}
              {...register('assigneeId')}
            />
          </div>
        ) : null}
        <div className="form-actions">
          <Button type="submit" pending={isSubmitting} pendingLabel={t('activity.saving')}>
            {t(`activity.submit.${current}`)}
          </Button>
          <Button variant="secondary" onClick={close}>
            {t('activity.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
