/**
 * The template language, as the database renders it (private.fill_placeholders): `{{name}}` or
 * `{{dotted.path}}`, one pass left to right (a value containing `{{…}}` is never expanded again),
 * missing or non-scalar values empty, values HTML-escaped in HTML only. The editor previews
 * unsaved text with it; what is sent is rendered by the database.
 */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variable names a text uses, in order of first use. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function valueAt(variables: Record<string, unknown>, path: string): string {
  let value: unknown = variables;
  for (const key of path.split('.')) {
    value =
      value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

export function fillPlaceholders(text: string, variables: Record<string, unknown>, escapeHtml = false): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = valueAt(variables, name);
    return escapeHtml ? value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]) : value;
  });
}
