import { parseEnv, type AppEnv } from './parse-env.ts';

/**
 * The local stack's defaults (`npm run dev`, the same as `supabase start`), so a fresh checkout
 * runs without an .env file. Only the development server uses them: `import.meta.env.DEV` is
 * false in a production build, so the branch and both values are dropped from the bundle, and
 * vite.config.ts refuses to build without the variables. The anon key is public by design.
 */
const localDefaults = import.meta.env.DEV
  ? {
      VITE_SUPABASE_URL: 'http://127.0.0.1:54321',
      VITE_SUPABASE_ANON_KEY:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0',
    }
  : undefined;

export const env: AppEnv = parseEnv(import.meta.env, localDefaults);
