import { createClient } from '@supabase/supabase-js';

import { env } from '@/config/env.ts';

/**
 * The app's one Supabase client. supabase-js keeps the session in localStorage and refreshes
 * it, so a reload stays signed in. Only features' api/ and hooks/ modules import this.
 */
export const supabase = createClient(env.supabaseUrl, env.supabaseAnonKey);
