/**
 * The `hello` function's logic, free of HTTP so `deno test` covers it: validate the body,
 * read the caller's role from the JWT, build the greeting.
 */
import { z } from 'zod';

export const helloRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
});

export type HelloRequest = z.infer<typeof helloRequestSchema>;

export interface Greeting {
  message: string;
  role: string | null;
}

export type ParseResult = { ok: true; value: HelloRequest } | { ok: false; message: string };

export function parseHelloRequest(body: unknown): ParseResult {
  const parsed = helloRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'body';
  return { ok: false, message: `${where}: ${issue.message}` };
}

/**
 * The `role` claim of the caller's bearer JWT, or null. The signature is not checked here:
 * the platform verified it before the request reached the function (verify_jwt), and the
 * role is only echoed back, never used to grant anything.
 */
export function roleFromAuthorization(header: string | null): string | null {
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims: unknown = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')));
    const role = (claims as { role?: unknown } | null)?.role;
    return typeof role === 'string' ? role : null;
  } catch {
    return null;
  }
}

export function greet(request: HelloRequest, role: string | null): Greeting {
  return { message: `Hello ${request.name}`, role };
}
