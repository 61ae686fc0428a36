/**
 * CORS headers every function answers with. Locally the gateway answers preflights itself,
 * but hosted Supabase passes them to the function, so functions must add these for parity.
 */
export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
};

/** The answer to a CORS preflight (`OPTIONS`), or null for any other request. */
export function preflight(req: Request): Response | null {
  return req.method === 'OPTIONS' ? new Response('ok', { headers: corsHeaders }) : null;
}
