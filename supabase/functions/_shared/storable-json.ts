/**
 * JSON that Postgres can store. JSON allows `\u0000` and unpaired surrogates (`\ud800`), and
 * nesting as deep as a sender likes; `jsonb` refuses all three (SQLSTATE 22P05, 22P02, 54001).
 * A signed webhook carrying them can never be stored as sent, so retrying it cannot help: the
 * webhook functions store it sanitised (those characters replaced by U+FFFD), or as a
 * placeholder naming the error, and answer 2xx (security review M-5, L-9).
 *
 * Cost: the hot path pays one regular-expression scan of the body text for the escapes; the
 * copy that replaces characters only runs when the scan finds one.
 */
import { fail, type Outcome } from './errors.ts';

/** `\u0000`, or an escaped surrogate (paired ones are fine; the scan cannot tell, the copy can). */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;
/** NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
// deno-lint-ignore no-control-regex -- NUL is exactly what jsonb refuses.
const UNSTORABLE_CHARACTER = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface StorableJson {
  /** The parsed body, with unstorable characters replaced when `sanitised`. */
  value: unknown;
  /** The body as sent (valid UTF-8), to keep next to a sanitised value. */
  text: string;
  /** Whether `value` differs from what was sent. */
  sanitised: boolean;
}

/** The body decoded (strict UTF-8) and parsed, sanitised when it escapes NUL or a surrogate. */
export function parseStorableJson(bytes: Uint8Array): Outcome<StorableJson> {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: fail('invalid_json', 'The body must be valid UTF-8 JSON') };
  }
  if (!SUSPECT_ESCAPE.test(text)) return { ok: true, value: { value, text, sanitised: false } };
  const clean = storableCopy(value);
  return { ok: true, value: { value: clean.value, text, sanitised: clean.changed } };
}

/** `text` with NUL and unpaired surrogates replaced by U+FFFD. */
export function storableString(text: string): string {
  return text.replace(UNSTORABLE_CHARACTER, '\ufffd');
}

/**
 * A copy of `value` with every string (keys included) made storable. Iterative, so a deeply
 * nested value cannot overflow the stack here; `changed` says whether anything was replaced.
 */
export function storableCopy(value: unknown): { value: unknown; changed: boolean } {
  let changed = false;
  const clean = (text: string) => {
    const result = storableString(text);
    if (result !== text) changed = true;
    return result;
  };
  const copyOf = (item: unknown): unknown =>
    typeof item === 'string'
      ? clean(item)
      : item === null || typeof item !== 'object'
        ? item
        : Array.isArray(item)
          ? new Array(item.length)
          : {};
  const root = copyOf(value);
  const stack: Array<[unknown, unknown]> = [[value, root]];
  while (stack.length > 0) {
    const [source, target] = stack.pop()!;
    if (source === null || typeof source !== 'object') continue;
    if (Array.isArray(source)) {
      const list = target as unknown[];
      source.forEach((item, index) => {
        list[index] = copyOf(item);
        stack.push([item, list[index]]);
      });
    } else {
      const record = target as Record<string, unknown>;
      for (const [key, item] of Object.entries(source)) {
        const copy = copyOf(item);
        // Defined, not assigned: a `__proto__` key must stay a plain property, as JSON.parse made it.
        Object.defineProperty(record, clean(key), {
          value: copy,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        stack.push([item, copy]);
      }
    }
  }
  return { value: root, changed };
}

/**
 * Whether an error storing a value comes from the value itself, so the same value will always
 * fail: a Postgres data exception (class 22: `\u0000` 22P05, a bad surrogate 22P02, a NUL byte
 * 22021…) or program limit (class 54: nesting too deep 54001, a value too large 54000), or the
 * runtime's own stack overflow while serialising a deeply nested value.
 */
export function isContentError(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(code);
}

/** A short description of a content error for the stored record ("54001: stack depth limit…"). */
export function describeContentError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
  return (typeof code === 'string' ? `${code}: ${message}` : message).slice(0, 500);
}
