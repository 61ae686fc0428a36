import { supabase } from '@/lib/supabase.ts';

/**
 * Ends the session on the server and in this browser. supabase-js removes the local session
 * even when the server call fails, so the person is signed out here either way.
 */
export async function signOut(): Promise<void> {
  await supabase.auth.signOut();
}
