/**
 * Byte helpers shared by the signature modules. atob/btoa (not Uint8Array.fromBase64) because
 * hosted Edge Functions run an older Deno than the one used here.
 */

import { createHmac, timingSafeEqual } from 'node:crypto';

const encoder = new TextEncoder();

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Bytes of a base64 (or, with `url`, base64url) string, or null when it is not valid base64. */
export function fromBase64(text: string, url = false): Uint8Array<ArrayBuffer> | null {
  let normal = text.trim();
  if (url) {
    if (!/^[A-Za-z0-9_-]*$/.test(normal)) return null;
    normal = normal.replace(/-/g, '+').replace(/_/g, '/');
    normal = normal.padEnd(normal.length + ((4 - (normal.length % 4)) % 4), '=');
  }
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(normal)) return null;
  const binary = atob(normal);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64(bytes: Uint8Array, url = false): string {
  let binary = '';
  // Chunked so large inputs do not overflow the argument list of fromCharCode.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const base64 = btoa(binary);
  return url ? base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : base64;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// HMAC through node:crypto (which Supabase's edge runtime provides) rather than WebCrypto: in
// Deno each WebCrypto call is an asynchronous operation handed to another thread, about 60 µs
// for a Shopify order against 15 µs here — on the path of every webhook.
export function hmacSha256(secret: string | Uint8Array, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  // Copied into a Uint8Array of its own: a Buffer is a view of a pooled (possibly shared) buffer.
  return Promise.resolve(Uint8Array.from(createHmac('sha256', secret).update(data).digest()));
}

/**
 * Whether `signature` is the HMAC-SHA256 of `data` under `secret`. The comparison takes the same
 * time whatever the bytes (unlike `===` or a byte loop that returns early), so a caller cannot
 * learn a valid signature byte by byte from response timings.
 */
export function verifyHmacSha256(
  secret: string | Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  const expected = createHmac('sha256', secret).update(data).digest();
  return Promise.resolve(signature.length === expected.length && timingSafeEqual(expected, signature));
}
