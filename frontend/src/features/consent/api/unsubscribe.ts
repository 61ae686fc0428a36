import { FunctionsHttpError } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

/** Why an unsubscribe did not go through, in the words the page has for it. */
export type UnsubscribeProblem = 'expired' | 'invalid' | 'failed';
export type UnsubscribeResult = { ok: true } | { ok: false; problem: UnsubscribeProblem };

/**
 * Withdraws the consent an unsubscribe link stands for. The `unsubscribe` function checks the
 * signed token (no sign-in: the token is the shopper's authority) and records the withdrawal in
 * the consent ledger; sending it again is harmless.
 */
export async function unsubscribe(token: string): Promise<UnsubscribeResult> {
  const { error } = await supabase.functions.invoke('unsubscribe', { body: { token } });
  if (!error) return { ok: true };
  if (error instanceof FunctionsHttpError) {
    const body = (await (error.context as Response).json().catch(() => null)) as { error?: { code?: string } } | null;
    const code = body?.error?.code;
    if (code === 'expired_token') return { ok: false, problem: 'expired' };
    if (code === 'invalid_token' || code === 'not_found') return { ok: false, problem: 'invalid' };
  }
  return { ok: false, problem: 'failed' };
}
