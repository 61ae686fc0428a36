/**
 * A link target from data Cairn did not write (Shopify's tracking URLs, feed links): the URL when
 * it is an absolute http(s) URL, else null — so `javascript:`, `data:` and the like are shown as
 * text, never as a link.
 */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}
