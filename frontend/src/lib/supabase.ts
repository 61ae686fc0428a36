import { createClient } from '@supabase/supabase-js';

import { env } from '@/config/env.ts';
import type { Database } from '@/types/database.types.ts';

/**
 * The app's one Supabase client, typed with the generated database types. supabase-js keeps the
 * session in localStorage and refreshes it, so a reload stays signed in. Only features' api/ and
 * hooks/ modules import this.
 */
export const supabase = createClient<Database>(env.supabaseUrl, env.supabaseAnonKey);
