import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type RefObject } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import {
  createTask,
  newTaskSchema,
  TASK_TYPES,
  TASKS_ROOT_KEY,
  type NewTaskInput,
  type TaskContext,
  type TaskType,
} from '@/api/tasks.ts';
import { teamMemberNamesOptions } from '@/api/team-members.ts';
import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { useViewer } from '@/lib/viewer.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

export interface NewTaskDialogProps {
  /** What the task is about; null while the dialog is closed. */
  context: (TaskContext & { label: string; subject?: string; taskType?: TaskType }) | null;
  onClose: () => void;
}

/**
 * A task from wherever the work shows up — a pipeline card, an inbox conversation, a
 * notification: title, type, due (the viewer's wall-clock time), assignee (the viewer unless
 * they pick someone), details. The database decides who may add it where; its refusal is shown
 * in the dialog.
 */
export function NewTaskDialog({ context, onClose }: NewTaskDialogProps) {
  const { t } = useTranslation('tasks');
  const subjectRef = useRef<HTMLInputElement | null>(null);
  return (
    <Dialog
      open={context !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={t('create.title')}
      description={context ? t('create.about', { label: context.label }) : undefined}
      initialFocus={subjectRef}
    >
      {/* Mounted per opening: each starts from a clean form for what it was opened on. */}
      {context ? <NewTaskForm context={context} onClose={onClose} subjectRef={subjectRef} /> : null}
    </Dialog>
  );
}

function NewTaskForm({
  context,
  onClose,
  subjectRef,
}: {
  context: NonNullable<NewTaskDialogProps['context']>;
  onClose: () => void;
  subjectRef: RefObject<HTMLInputElement | null>;
}) {
  const { t } = useTranslation('tasks');
  const viewer = useViewer();
  const { timeZone } = useZoneAndLanguage();
  const queryClient = useQueryClient();
  const team = useQuery(teamMemberNamesOptions());
  const bodyId = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<NewTaskInput>({
    resolver: zodResolver(newTaskSchema),
    defaultValues: {
      subject: context.subject ?? '',
      taskType: context.taskType ?? 'to_do',
      dueAt: '',
      assigneeId: viewer.userId,
      body: '',
    },
  });
  const create = useMutation({
    mutationFn: (input: NewTaskInput) => createTask(context, input, timeZone),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TASKS_ROOT_KEY }),
  });
  const submit = handleSubmit((input) =>
    create.mutateAsync(input).then(
      () => {
        toast.success(t('create.done'));
        onClose();
      },
      (error: { code?: string }) =>
        setFailure(
          t(error.code === '42501' ? 'create.refused' : error.code === '23514' ? 'create.wrongLink' : 'create.failed'),
        ),
    ),
  );
  const members = (team.data ?? []).filter((member) => member.active && member.role !== 'readonly');
  const choices = members.map((member) => ({ value: member.user_id, label: member.full_name }));
  const subjectField = register('subject');
  const message = (key?: string) => (key ? t(key) : undefined);

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label={t('create.subject')}
        error={message(errors.subject?.message)}
        autoComplete="off"
        {...subjectField}
        ref={(element) => {
          subjectField.ref(element);
          subjectRef.current = element;
        }}
      />
      <SelectField
        label={t('create.type')}
        options={TASK_TYPES.map((type) => ({ value: type, label: t(`types.${type}`) }))}
        {...register('taskType')}
      />
      <TextField
        label={t('create.due', { zone: timeZone })}
        type="datetime-local"
        error={message(errors.dueAt?.message)}
        {...register('dueAt')}
      />
      <SelectField
        label={t('create.assignee')}
        error={message(errors.assigneeId?.message)}
        options={
          choices.some((choice) => choice.value === viewer.userId)
            ? choices
            : [{ value: viewer.userId, label: t('create.me') }, ...choices]
        }
        {...register('assigneeId')}
      />
      <div className="field">
        <label htmlFor={bodyId}>{t('create.body')}</label>
        <textarea id={bodyId} rows={3} {...register('body')} />
      </div>
      <FormError message={failure} />
      <DialogActions onCancel={onClose}>
        <Button type="submit" pending={create.isPending}>
          {t('create.save')}
        </Button>
      </DialogActions>
    </form>
  );
}
