/**
 * JSON responses for every function, with the one error shape clients can rely on:
 * `{ error: { code, message } }` (code is stable and machine-readable, message is for people).
 */
import { corsHeaders } from './cors.ts';

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json' },
  });
}

export function errorResponse(status: number, code: string, message: string): Response {
  return jsonResponse({ error: { code, message } }, status);
}
