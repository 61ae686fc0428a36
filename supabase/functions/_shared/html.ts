/**
 * What every function writing HTML or links for people needs: escaping for HTML text and
 * attributes, and the rule that a link variable (`*_url`) is an http(s) URL (review L-13).
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/**
 * Whether `value` is an absolute http(s) URL, written as one (no leading blanks or control
 * characters a browser would skip to find `javascript:` behind them).
 */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/?#]/i.test(value) && URL.canParse(value);
}

/** Variables named `*_url` (product_url, unsubscribe_url…) are links: only http(s) is rendered. */
export const isUrlVariable = (name: string): boolean => name.endsWith('_url');
