export interface TextPart {
  text: string;
  match: boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` cut where it contains `query` (any case), so the matches can be marked. A leading "#"
 * is ignored, as order search ignores it: "1001" marks "#1001".
 */
export function highlightParts(text: string, query: string): TextPart[] {
  const needle = query.trim().replace(/^#/, '');
  if (!needle) return [{ text, match: false }];
  const parts: TextPart[] = [];
  let last = 0;
  for (const found of text.matchAll(new RegExp(escapeRegExp(needle), 'giu'))) {
    if (found.index > last) parts.push({ text: text.slice(last, found.index), match: false });
    parts.push({ text: found[0], match: true });
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** "#1001", "1001", "M-0004": a query that reads as an order number shows orders first. */
export function looksLikeOrderNumber(query: string): boolean {
  return /^#|^\d|^[a-z]{1,3}-\d/i.test(query.trim());
}
