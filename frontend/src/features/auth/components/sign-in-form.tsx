import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { signIn } from '../api/sign-in.ts';
import { signInSchema, type SignInInput } from '../schemas/sign-in.ts';

/**
 * Email and password sign-in. On success the session store changes and the page around the
 * form navigates; on failure the reason is shown and the password field takes focus again.
 */
export function SignInForm() {
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: '', password: '' },
  });

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    const result = await signIn(values);
    if (!result.ok) {
      setFailure(result.message);
      setFocus('password', { shouldSelect: true });
    }
  });

  return (
    // noValidate: the zod schema gives every browser the same messages.
    <form className="sign-in-form" aria-label="Sign in" noValidate onSubmit={onSubmit}>
      {failure ? (
        <p role="alert" className="form-error">
          {failure}
        </p>
      ) : null}
      <TextField
        label="Email"
        type="email"
        autoComplete="email"
        autoFocus
        error={errors.email?.message}
        {...register('email')}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...register('password')}
      />
      <Button type="submit" pending={isSubmitting} pendingLabel="Signing in…">
        Sign in
      </Button>
    </form>
  );
}
