import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { formatMoney, percentSaved, pickLanguage, renderTemplate } from './templates.ts';

const template = {
  subject: '{{ product.title }} is back, {{first_name}}',
  text: 'Hi {{first_name}}, {{product.title}} now {{new_price}} (was {{old_price}}). {{link}}',
  html: '<p>Hi {{ first_name }}</p><a href="{{link}}">{{product.title}}</a><img src="{{image_url}}">',
};

const variables = {
  first_name: 'Zoë <script>',
  product: { title: 'Tom & Jerry "Tee"' },
  new_price: '€9.00',
  old_price: '€10.00',
  link: 'https://shop.test/p?a=1&b=2',
  image_url: "https://cdn.test/i.jpg?x='1'",
};

Deno.test('renderTemplate escapes HTML in the html part only', () => {
  const rendered = renderTemplate(template, variables);
  strictEqual(rendered.subject, 'Tom & Jerry "Tee" is back, Zoë <script>');
  strictEqual(rendered.text, 'Hi Zoë <script>, Tom & Jerry "Tee" now €9.00 (was €10.00). https://shop.test/p?a=1&b=2');
  strictEqual(
    rendered.html,
    '<p>Hi Zoë &lt;script&gt;</p><a href="https://shop.test/p?a=1&amp;b=2">Tom &amp; Jerry &quot;Tee&quot;</a>' +
      '<img src="https://cdn.test/i.jpg?x=&#39;1&#39;">',
  );
  deepStrictEqual(rendered.unknown, []);
});

Deno.test('renderTemplate reports unknown and null placeholders once and renders them empty', () => {
  const rendered = renderTemplate(template, { ...variables, first_name: null, product: {} });
  deepStrictEqual(rendered.unknown, ['product.title', 'first_name']);
  strictEqual(rendered.subject, ' is back, ');
  strictEqual(rendered.html.includes('{{'), false);
});

Deno.test('renderTemplate does not reach into prototypes or objects', () => {
  const rendered = renderTemplate(
    { subject: '{{constructor}} {{toString}} {{product}}', text: '', html: '' },
    variables,
  );
  deepStrictEqual(rendered.unknown, ['constructor', 'toString', 'product']);
});

Deno.test('renderTemplate keeps the subject on one line and leaves non-placeholders alone', () => {
  const rendered = renderTemplate(
    { subject: 'Hi {{name}}', text: '{{ not valid }} {name} {{0x}}', html: '' },
    { name: 'a\r\nBcc: x@evil.test' },
  );
  strictEqual(rendered.subject, 'Hi a Bcc: x@evil.test');
  strictEqual(rendered.text, '{{ not valid }} {name} {{0x}}');
});

Deno.test('numbers and booleans render as text', () => {
  strictEqual(renderTemplate({ subject: '{{n}} {{b}}', text: '', html: '' }, { n: 0, b: false }).subject, '0 false');
});

Deno.test('formatMoney follows the locale and the currency’s minor units', () => {
  strictEqual(formatMoney(89.9, 'USD', 'en-US'), '$89.90');
  strictEqual(formatMoney(89.9, 'EUR', 'fr-FR').replace(/\s/g, ' '), '89,90 €');
  strictEqual(formatMoney(1200, 'JPY', 'ja-JP'), '￥1,200');
  strictEqual(formatMoney(1234.5, 'EUR', 'de-DE').replace(/\s/g, ' '), '1.234,50 €');
  strictEqual(formatMoney(5, 'GBP', 'not a locale!'), '£5.00');
});

Deno.test('percentSaved rounds down and never goes negative', () => {
  strictEqual(percentSaved(100, 90), 10);
  strictEqual(percentSaved(100, 90.01), 9);
  strictEqual(percentSaved(19.99, 17.99), 10);
  strictEqual(percentSaved(0.3, 0.27), 10);
  strictEqual(percentSaved(100, 100), 0);
  strictEqual(percentSaved(100, 120), 0);
  strictEqual(percentSaved(0, 0), 0);
});

Deno.test('pickLanguage prefers exact, then base language, then the store default', () => {
  const available = ['en', 'fr', 'pt-BR'];
  strictEqual(pickLanguage(available, 'fr-CA', 'en'), 'fr');
  strictEqual(pickLanguage(available, 'PT-br', 'en'), 'pt-BR');
  strictEqual(pickLanguage(available, 'de', 'en'), 'en');
  strictEqual(pickLanguage(available, null, 'fr'), 'fr');
});

Deno.test('*_url variables render only http(s) URLs; anything else is dropped and reported (review L-13)', () => {
  const link = { subject: 's', text: '{{product_url}}', html: '<a href="{{product_url}}">x</a>' };
  for (const bad of [
    'javascript:alert(1)',
    ' JAVASCRIPT:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,x',
    '//evil.test',
  ]) {
    const rendered = renderTemplate(link, { product_url: bad });
    strictEqual(rendered.html, '<a href="">x</a>', bad);
    deepStrictEqual(rendered.unknown, ['product_url']);
  }
  strictEqual(renderTemplate(link, { product_url: 'HTTPS://shop.test/p' }).html, '<a href="HTTPS://shop.test/p">x</a>');
  // Other variables are not URLs and are left alone.
  strictEqual(
    renderTemplate({ subject: 's', text: '{{note}}', html: 'h' }, { note: 'javascript:x' }).text,
    'javascript:x',
  );
});
