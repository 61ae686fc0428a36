import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import {
  alertVariables,
  buildAlertEmail,
  type ClaimedAlert,
  mapConcurrently,
  MissingTemplateError,
  templateCatalog,
  templateFor,
} from './alert-email.ts';
import { verifyUnsubscribeToken } from '../_shared/unsubscribe-token.ts';

const alert: ClaimedAlert = {
  alert_id: 42,
  customer_id: 'c-1',
  kind: 'price_drop',
  email: 'ana@example.test',
  first_name: 'Ana',
  last_name: 'García',
  language: 'fr',
  product_title: 'Robe <lin>',
  variant_title: 'M',
  brand: 'Sezane',
  image_url: 'https://cdn.example/r.jpg',
  product_url: 'https://shop.example/products/robe',
  shop_name: 'Boutique',
  old_price: 120,
  new_price: 96,
  currency: 'EUR',
  stock_quantity: 4,
};

const catalog = templateCatalog([
  {
    key: 'price_drop',
    language: 'en',
    subject: '{{product_name}} now {{new_price}}',
    body_text: 'Hi {{first_name}} {{unsubscribe_url}}',
    body_html: '<p>{{product_name}}</p>',
  },
  {
    key: 'price_drop',
    language: 'fr',
    subject: '{{product_name}} à {{new_price}}',
    body_text: '{{old_price}} → {{new_price}} (−{{percent_saved}} %)',
    body_html: '<p>{{product_name}}</p>',
  },
]);

Deno.test("templateFor picks the shopper's language, then the default, and null for an unknown key", () => {
  strictEqual(templateFor(catalog, 'price_drop', 'fr', 'en')?.subject, '{{product_name}} à {{new_price}}');
  strictEqual(templateFor(catalog, 'price_drop', 'fr-CA', 'en')?.subject, '{{product_name}} à {{new_price}}');
  strictEqual(templateFor(catalog, 'price_drop', 'de', 'en')?.subject, '{{product_name}} now {{new_price}}');
  strictEqual(templateFor(catalog, 'back_in_stock', 'fr', 'en'), null);
});

Deno.test('alertVariables formats money for the locale and the saving rounded down', () => {
  const variables = alertVariables(alert, 'fr', 'https://u');
  strictEqual(variables.old_price, '120,00\u00a0€');
  strictEqual(variables.new_price, '96,00\u00a0€');
  strictEqual(variables.percent_saved, 20);
  strictEqual(variables.full_name, 'Ana García');
  strictEqual(alertVariables({ ...alert, old_price: null }, 'en', 'u').percent_saved, 0);
});

Deno.test('buildAlertEmail renders, escapes, signs the unsubscribe link and carries the alert id', async () => {
  const email = await buildAlertEmail(alert, {
    catalog,
    defaultLanguage: 'en',
    from: { email: 'alerts@cairn.example', name: 'Cairn' },
    functionsUrl: 'https://ref.supabase.co/functions/v1/',
    unsubscribeSecret: 'secret',
  });
  strictEqual(email.subject, 'Robe <lin> à 96,00\u00a0€');
  strictEqual(email.html, '<p>Robe &lt;lin&gt;</p>');
  strictEqual(email.text, '120,00\u00a0€ → 96,00\u00a0€ (−20 %)');
  deepStrictEqual(email.customArgs, { alert_id: '42', customer_id: 'c-1' });
  deepStrictEqual(email.from, { email: 'alerts@cairn.example', name: 'Boutique' });
  deepStrictEqual(email.to, { email: 'ana@example.test', name: 'Ana García' });
  const url = new URL(email.unsubscribe?.url ?? '');
  strictEqual(url.origin + url.pathname, 'https://ref.supabase.co/functions/v1/unsubscribe');
  const verified = await verifyUnsubscribeToken(url.searchParams.get('token') ?? '', 'secret');
  strictEqual(verified.ok && verified.claims.customerId, 'c-1');
  strictEqual(verified.ok && verified.claims.purpose, 'email:alerts');
});

Deno.test('buildAlertEmail refuses a kind without a template', async () => {
  let error: unknown;
  try {
    await buildAlertEmail(
      { ...alert, kind: 'back_in_stock' },
      {
        catalog,
        defaultLanguage: 'en',
        from: { email: 'a@cairn.example' },
        functionsUrl: 'https://x',
        unsubscribeSecret: 's',
      },
    );
  } catch (caught) {
    error = caught;
  }
  strictEqual(error instanceof MissingTemplateError, true);
});

Deno.test('mapConcurrently keeps input order and never exceeds the limit', async () => {
  let inFlight = 0;
  let peak = 0;
  const results = await mapConcurrently([5, 1, 3, 2, 4], 2, async (n) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, n));
    inFlight -= 1;
    return n * 10;
  });
  deepStrictEqual(results, [50, 10, 30, 20, 40]);
  strictEqual(peak, 2);
  deepStrictEqual(await mapConcurrently([], 4, (n: number) => Promise.resolve(n)), []);
});
