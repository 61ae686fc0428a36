/**
 * Alert email templates: `{{ variable }}` placeholders (dotted paths allowed: `{{ product.title }}`),
 * HTML-escaped in the HTML part and inserted raw in the subject and text parts. Placeholders
 * without a value render empty and are reported, so a caller can refuse to send a broken email.
 * Money and percentages are formatted for the recipient's locale here, before substitution.
 */
import { escapeHtml, isHttpUrl, isUrlVariable } from '../_shared/html.ts';

export interface EmailTemplate {
  subject: string;
  text: string;
  html: string;
}

export type TemplateValue = string | number | boolean | null | undefined | { [key: string]: TemplateValue };
export type TemplateVariables = { [key: string]: TemplateValue };

export interface RenderedEmail extends EmailTemplate {
  /** Placeholders that had no (or a null) value, each listed once, in order of first use. */
  unknown: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}/g;

function lookup(variables: TemplateVariables, path: string): string | null {
  let value: TemplateValue = variables;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return null;
    value = value[key];
  }
  if (value === null || value === undefined || typeof value === 'object') return null;
  const text = String(value);
  // A `javascript:` or `data:` link would survive HTML escaping: dropped (review L-13).
  if (isUrlVariable(path) && text !== '' && !isHttpUrl(text)) return null;
  return text;
}

function substitute(
  template: string,
  variables: TemplateVariables,
  escape: (value: string) => string,
  unknown: Set<string>,
): string {
  return template.replace(PLACEHOLDER, (_match, path: string) => {
    const value = lookup(variables, path);
    if (value === null) {
      unknown.add(path);
      return '';
    }
    return escape(value);
  });
}

export function renderTemplate(template: EmailTemplate, variables: TemplateVariables): RenderedEmail {
  const unknown = new Set<string>();
  const raw = (value: string) => value;
  // Header injection: a subject must stay on one line whatever the variables contain.
  const subject = substitute(template.subject, variables, raw, unknown).replace(/[\r\n]+/g, ' ');
  const text = substitute(template.text, variables, raw, unknown);
  const html = substitute(template.html, variables, escapeHtml, unknown);
  return { subject, text, html, unknown: [...unknown] };
}

const formatters = new Map<string, Intl.NumberFormat>();

/** `amount` in `currency` for `locale` (e.g. 89.9, EUR, fr-FR → "89,90 €"); falls back to `en`. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    } catch {
      formatter = new Intl.NumberFormat('en', { style: 'currency', currency });
    }
    formatters.set(key, formatter);
  }
  return formatter.format(amount);
}

/**
 * Whole percent saved going from `oldPrice` to `newPrice`, rounded down so an email never
 * claims more than the real saving (9.99 % shows as 9 %); 0 when the price did not fall.
 */
export function percentSaved(oldPrice: number, newPrice: number): number {
  if (!(oldPrice > 0) || !(newPrice < oldPrice)) return 0;
  // Cents-level rounding first so float noise (e.g. 9.999999) cannot drop a whole percent.
  const exact = Math.round(((oldPrice - newPrice) / oldPrice) * 1e6) / 1e4;
  return Math.floor(exact);
}

/**
 * The best available language for a recipient: exact tag (`fr-CA`), then its base language
 * (`fr`), then `fallback` (the store default). `available` are template languages.
 */
export function pickLanguage(
  available: readonly string[],
  preferred: string | null | undefined,
  fallback: string,
): string {
  const lower = new Map(available.map((tag) => [tag.toLowerCase(), tag]));
  const wanted = preferred?.trim().toLowerCase();
  if (wanted) {
    const exact = lower.get(wanted);
    if (exact) return exact;
    const base = lower.get(wanted.split(/[-_]/)[0]);
    if (base) return base;
  }
  return lower.get(fallback.toLowerCase()) ?? fallback;
}
