import { zodResolver } from '@hookform/resolvers/zod';
import type { TOptions } from 'i18next';
import { useState } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { $ZodType } from 'zod/v4/core';

import type { AuthResult } from '../api/password.ts';

export interface AuthFormOptions<T extends FieldValues> {
  schema: $ZodType<T, T>;
  defaultValues: DefaultValues<T>;
  /** The field that takes the focus again, its text selected, after the server refuses. */
  refocus?: Path<T>;
}

/**
 * An auth form's state: react-hook-form checked by the zod schema, plus the server's refusal
 * (`failure`, a message key). `submitWith(send, onOk)` is the form's submit handler: it clears
 * the last refusal, sends the checked values, then runs `onOk` or shows the new refusal.
 * `fieldError(name)` is a field's validation message, translated, for the field's `error`.
 */
export function useAuthForm<T extends FieldValues>({ schema, defaultValues, refocus }: AuthFormOptions<T>) {
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<T>({ resolver: zodResolver(schema), defaultValues });
  const { handleSubmit, setFocus, getFieldState, formState } = form;
  const { t } = useTranslation('auth');

  const submitWith = (send: (values: T) => Promise<AuthResult>, onOk?: (values: T) => void | Promise<void>) =>
    handleSubmit(async (values) => {
      setFailure(null);
      const result = await send(values);
      if (result.ok) {
        await onOk?.(values);
        return;
      }
      setFailure(result.messageKey);
      if (refocus) setFocus(refocus, { shouldSelect: true });
    });

  const fieldError = (name: Path<T>, options?: TOptions) => {
    const key = getFieldState(name, formState).error?.message;
    return key ? t(key, options) : undefined;
  };

  return { ...form, failure, setFailure, submitWith, fieldError };
}
