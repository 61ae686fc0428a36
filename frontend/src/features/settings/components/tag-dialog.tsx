import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { TagChip } from '@/components/tag-chip.tsx';
import { Button } from '@/components/ui/button.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { TagWithUsage } from '../api/tags.ts';
import { useTagMutations } from '../hooks/use-tags.ts';
import { TAG_COLOURS, tagSchema, type TagInput } from '../schemas/tag.ts';
import { tagErrorKey } from '../utils/database-errors.ts';

export interface TagDialogProps {
  open: boolean;
  /** The tag to edit, or null to create one. */
  tag: TagWithUsage | null;
  onOpenChange: (open: boolean) => void;
}

const blank: TagInput = { name: '', colour: TAG_COLOURS[0] ?? '#64748b', description: '' };

/** Create or edit a tag: name, colour (a palette, or any colour) and an optional description. */
export function TagDialog({ open, tag, onOpenChange }: TagDialogProps) {
  const { t } = useTranslation('settings');
  const title = t(tag ? 'tags.editTitle' : 'tags.createTitle');
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title}>
      {/* The dialog's content mounts on open, so the form starts from the tag every time. */}
      <TagForm tag={tag} title={title} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

function TagForm({ tag, title, onDone }: { tag: TagWithUsage | null; title: string; onDone: () => void }) {
  const { t } = useTranslation('settings');
  const { save } = useTagMutations();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<TagInput>({
    resolver: zodResolver(tagSchema),
    defaultValues: tag ? { name: tag.name, colour: tag.colour, description: tag.description ?? '' } : blank,
  });
  const colour = useWatch({ control, name: 'colour' });
  const name = useWatch({ control, name: 'name' });

  const onSubmit = handleSubmit(async (input) => {
    setFormError(null);
    try {
      await save.mutateAsync({ id: tag?.id ?? null, input });
      toast.success(t(tag ? 'tags.saved' : 'tags.created', { name: input.name }));
      onDone();
    } catch (error) {
      const key = tagErrorKey(error);
      if (key === 'settings:tags.errors.duplicate') setError('name', { message: key }, { shouldFocus: true });
      else setFormError(key);
    }
  });

  const message = (key?: string) => (key ? t(key) : undefined);
  return (
    <form className="settings-form" aria-label={title} noValidate onSubmit={onSubmit}>
      <TextField
        label={t('tags.name')}
        autoComplete="off"
        error={message(errors.name?.message)}
        autoFocus
        {...register('name')}
      />
      <fieldset className="colour-field">
        <legend>{t('tags.colour')}</legend>
        <div className="colour-swatches">
          {TAG_COLOURS.map((swatch) => (
            <button
              key={swatch}
              type="button"
              className="colour-swatch"
              style={{ background: swatch }}
              aria-label={t('tags.useColour', { colour: swatch })}
              aria-pressed={colour.toLowerCase() === swatch}
              onClick={() => setValue('colour', swatch, { shouldDirty: true, shouldValidate: true })}
            />
          ))}
        </div>
        <TextField
          type="color"
          label={t('tags.customColour')}
          className="colour-picker"
          error={message(errors.colour?.message)}
          {...register('colour')}
        />
      </fieldset>
      <TextField
        label={t('tags.description')}
        autoComplete="off"
        error={message(errors.description?.message)}
        {...register('description')}
      />
      <p className="tag-preview">
        {t('tags.preview')} <TagChip name={name || t('tags.name')} colour={colour} />
      </p>
      <FormError message={formError && t(formError)} />
      <DialogActions onCancel={onDone}>
        <Button type="submit" pending={isSubmitting} pendingLabel={t('saving')}>
          {t(tag ? 'save' : 'tags.create')}
        </Button>
      </DialogActions>
    </form>
  );
}
