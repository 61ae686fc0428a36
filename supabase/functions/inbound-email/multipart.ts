/**
 * A multipart/form-data reader over raw bytes. Inbound Parse posts each text field in the
 * charset the sender used (named in its `charsets` field), so fields must stay bytes until that
 * is known; `Request.formData()` would decode them all as UTF-8. Tolerant by design: a part
 * without a name is skipped, a missing final boundary ends the body; only a body with no
 * boundary at all is refused (null), and the caller stores it as malformed.
 */

export interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  bytes: Uint8Array;
}

const CRLFCRLF = [13, 10, 13, 10];
const LFLF = [10, 10];

function indexOf(haystack: Uint8Array, needle: Uint8Array | number[], from = 0): number {
  const first = needle[0];
  outer: for (
    let i = haystack.indexOf(first, from);
    i !== -1 && i <= haystack.length - needle.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    for (let j = 1; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The boundary of a `multipart/form-data; boundary=…` content type, or null. */
export function boundaryOf(contentType: string | null): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType.trim())) return null;
  const match = contentType.match(/boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i);
  return match ? (match[1] ?? match[2]) : null;
}

/** A parameter of a header value (`name="x"`, `filename*=UTF-8''x`). */
function parameter(header: string, key: string): string | null {
  const extended = header.match(new RegExp(`;\\s*${key}\\*=([^']*)'[^']*'([^;]*)`, 'i'));
  if (extended) {
    try {
      return decodeURIComponent(extended[2]);
    } catch {
      return extended[2];
    }
  }
  const quoted = header.match(new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i'));
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = header.match(new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i'));
  return bare ? bare[1] : null;
}

export function parseMultipart(body: Uint8Array, boundary: string, maxParts = 200): Part[] | null {
  const delimiter = new TextEncoder().encode(`--${boundary}`);
  let at = indexOf(body, delimiter);
  if (at === -1) return null;
  const parts: Part[] = [];
  while (parts.length < maxParts) {
    let start = at + delimiter.length;
    // `--` after a delimiter closes the body.
    if (body[start] === 45 && body[start + 1] === 45) break;
    if (body[start] === 13) start += 1;
    if (body[start] === 10) start += 1;
    let next = indexOf(body, delimiter, start);
    const end = next === -1 ? body.length : next;
    const chunk = body.subarray(start, end);
    let split = indexOf(chunk, CRLFCRLF);
    let skip = 4;
    if (split === -1) {
      split = indexOf(chunk, LFLF);
      skip = 2;
    }
    if (split !== -1) {
      const head = new TextDecoder('utf-8').decode(chunk.subarray(0, split));
      let content = chunk.subarray(split + skip);
      // The line break before the next delimiter belongs to the delimiter.
      if (content[content.length - 1] === 10) content = content.subarray(0, content.length - 1);
      if (content[content.length - 1] === 13) content = content.subarray(0, content.length - 1);
      const headers = head.split(/\r?\n/);
      const disposition = headers.find((line) => /^content-disposition:/i.test(line)) ?? '';
      const type = headers.find((line) => /^content-type:/i.test(line));
      const name = parameter(disposition, 'name');
      if (name !== null) {
        parts.push({
          name,
          filename: parameter(disposition, 'filename'),
          contentType: type ? type.replace(/^content-type:\s*/i, '').trim() : null,
          bytes: content,
        });
      }
    }
    if (next === -1) break;
    at = next;
    next = -1;
  }
  return parts;
}
