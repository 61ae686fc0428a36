/**
 * Alert emails: what a claimed alert (a row of `claim_due_alerts`) becomes — the template in the
 * shopper's language (else the store default), the variables (name, product, image, old and new
 * price in the shopper's locale, percent saved, link), a signed one-click unsubscribe link and
 * the alert id in SendGrid's custom_args so events find their way back to the alert.
 */
import type { EmailAddress, OutgoingEmail } from '../_shared/sendgrid.ts';
import { type EmailTemplate, formatMoney, percentSaved, pickLanguage, renderTemplate } from './templates.ts';
import { createUnsubscribeToken } from '../_shared/unsubscribe-token.ts';

export type AlertKind = 'back_in_stock' | 'price_drop';

/** One alert to send, as `public.claim_due_alerts` returns it. */
export interface ClaimedAlert {
  alert_id: number;
  customer_id: string;
  kind: AlertKind;
  email: string;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  product_title: string | null;
  variant_title: string | null;
  brand: string | null;
  image_url: string | null;
  product_url: string | null;
  shop_name: string | null;
  old_price: number | null;
  new_price: number | null;
  currency: string | null;
  stock_quantity: number | null;
}

/** Template key → language → template. */
export type TemplateCatalog = Map<string, Map<string, EmailTemplate>>;

export interface TemplateVariantRow {
  key: string;
  language: string;
  subject: string;
  body_text: string;
  body_html: string;
}

export function templateCatalog(rows: TemplateVariantRow[]): TemplateCatalog {
  const catalog: TemplateCatalog = new Map();
  for (const row of rows) {
    let languages = catalog.get(row.key);
    if (!languages) catalog.set(row.key, (languages = new Map()));
    languages.set(row.language, { subject: row.subject, text: row.body_text, html: row.body_html });
  }
  return catalog;
}

/** The template for `key` in the best language, or null when the key has no variant at all. */
export function templateFor(
  catalog: TemplateCatalog,
  key: string,
  language: string | null,
  defaultLanguage: string,
): EmailTemplate | null {
  const languages = catalog.get(key);
  if (!languages?.size) return null;
  const chosen = pickLanguage([...languages.keys()], language, defaultLanguage);
  return languages.get(chosen) ?? languages.get('en') ?? languages.values().next().value ?? null;
}

/** The template variables of an alert, money and percent formatted for the shopper's language. */
export function alertVariables(
  alert: ClaimedAlert,
  locale: string,
  unsubscribeUrl: string,
): Record<string, string | number> {
  const currency = alert.currency ?? 'EUR';
  const money = (amount: number | null) => (amount === null ? '' : formatMoney(Number(amount), currency, locale));
  const fullName = [alert.first_name, alert.last_name].filter(Boolean).join(' ');
  return {
    first_name: alert.first_name ?? '',
    last_name: alert.last_name ?? '',
    full_name: fullName,
    email: alert.email,
    shop_name: alert.shop_name ?? '',
    product_name: alert.product_title ?? '',
    variant_name: alert.variant_title ?? '',
    brand: alert.brand ?? '',
    product_url: alert.product_url ?? '',
    image_url: alert.image_url ?? '',
    old_price: money(alert.old_price),
    new_price: money(alert.new_price),
    percent_saved:
      alert.old_price === null || alert.new_price === null
        ? 0
        : percentSaved(Number(alert.old_price), Number(alert.new_price)),
    stock_quantity: alert.stock_quantity ?? '',
    unsubscribe_url: unsubscribeUrl,
  };
}

export interface AlertEmailOptions {
  catalog: TemplateCatalog;
  defaultLanguage: string;
  from: EmailAddress;
  /** Base of the public functions URL, e.g. https://<ref>.supabase.co/functions/v1 */
  functionsUrl: string;
  unsubscribeSecret: string;
  now?: Date;
}

export class MissingTemplateError extends Error {}

/** The email for one alert; throws MissingTemplateError when no template exists for its kind. */
export async function buildAlertEmail(alert: ClaimedAlert, options: AlertEmailOptions): Promise<OutgoingEmail> {
  const template = templateFor(options.catalog, alert.kind, alert.language, options.defaultLanguage);
  if (!template) throw new MissingTemplateError(`no email template "${alert.kind}"`);
  const token = await createUnsubscribeToken(alert.customer_id, 'email:alerts', options.unsubscribeSecret, options.now);
  const unsubscribeUrl = `${options.functionsUrl.replace(/\/+$/, '')}/unsubscribe?token=${token}`;
  const locale = alert.language ?? options.defaultLanguage;
  const rendered = renderTemplate(template, alertVariables(alert, locale, unsubscribeUrl));
  const name = [alert.first_name, alert.last_name].filter(Boolean).join(' ');
  return {
    to: name ? { email: alert.email, name } : { email: alert.email },
    from: alert.shop_name ? { email: options.from.email, name: alert.shop_name } : options.from,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    customArgs: { alert_id: String(alert.alert_id), customer_id: alert.customer_id },
    categories: ['alert', alert.kind],
    unsubscribe: { url: unsubscribeUrl },
  };
}

/** Runs `work` over `items` with at most `limit` in flight, results in input order. */
export async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
