// zod/mini: the same checks at a fraction of the size, since this module loads with the sign-in page.
import { z } from 'zod/mini';

/**
 * The local stack's defaults (`npm run dev`, the same as `supabase start`), so a fresh checkout
 * runs without an .env file. The anon key is public by design: RLS, not the key, protects data.
 */
const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321';
const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

const envSchema = z.object({
  VITE_SUPABASE_URL: z._default(z.url({ protocol: /^https?$/ }), LOCAL_SUPABASE_URL),
  VITE_SUPABASE_ANON_KEY: z._default(z.string().check(z.minLength(1)), LOCAL_ANON_KEY),
});

export interface AppEnv {
  supabaseUrl: string;
  supabaseAnonKey: string;
}

/** Validates the build-time environment; a bad value fails at start-up with a readable message. */
export function parseEnv(raw: Record<string, unknown>): AppEnv {
  // `VITE_X=` in an .env file arrives as '' and means "not set", so the default applies.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new Error(`Invalid frontend environment:\n${z.prettifyError(result.error)}`);
  }
  return { supabaseUrl: result.data.VITE_SUPABASE_URL, supabaseAnonKey: result.data.VITE_SUPABASE_ANON_KEY };
}

export const env: AppEnv = parseEnv(import.meta.env);
