import { describe, expect, it } from 'vitest';

import { isSafeLink, lintTemplate, type VariantText } from './lint.ts';
import { fillPlaceholders, placeholders } from './render.ts';

const known = ['first_name', 'product_name', 'new_price', 'percent_saved', 'product_url', 'product.title'];

const variant = (language: string, text: string, html = `<p>${text}</p>`): VariantText => ({
  language,
  subject: `{{product_name}}`,
  body_text: text,
  body_html: html,
});

// One sentence per language Cairn ships, each with the same variables.
const EVERY_LANGUAGE: VariantText[] = [
  variant('en', 'Hi {{first_name}}, now {{new_price}} ({{percent_saved}} % off)'),
  variant('de', 'Hallo {{first_name}}, jetzt {{new_price}} ({{percent_saved}} % günstiger)'),
  variant('fr', 'Bonjour {{first_name}}, maintenant {{new_price}} (−{{percent_saved}} %)'),
  variant('es', 'Hola {{first_name}}, ahora {{new_price}} ({{percent_saved}} % menos)'),
  variant('zh', '{{first_name}}，您好：现价 {{new_price}}（省 {{percent_saved}}%）'),
];

describe('lintTemplate', () => {
  it('finds nothing wrong in a template complete in every language', () => {
    const languages = ['en', 'de', 'fr', 'es', 'zh'].map((language) => ({ language, customers: 10 }));
    expect(lintTemplate(EVERY_LANGUAGE, known, languages)).toEqual([]);
  });

  it('flags unknown variables and variables a variant forgot', () => {
    const issues = lintTemplate(
      [variant('en', 'Hi {{first_name}}, {{new_price}}'), variant('de', 'Hallo {{frist_name}}, {{new_price}}')],
      known,
      [],
    );
    expect(issues).toEqual([
      { kind: 'unknownVariable', language: 'de', name: 'frist_name' },
      { kind: 'missingVariable', language: 'de', name: 'first_name' },
    ]);
  });

  it('counts the customers of each language without a variant', () => {
    expect(
      lintTemplate([variant('en', 'Hi')], known, [
        { language: 'en', customers: 900 },
        { language: 'de', customers: 312 },
        { language: 'zh', customers: 0 },
      ]),
    ).toEqual([{ kind: 'missingVariant', language: 'de', customers: 312 }]);
  });

  it('flags unsafe links and accepts https, mailto and link variables', () => {
    const html =
      '<a href="javascript:alert(1)">x</a><a href=\'http://shop.test\'>y</a><img src=data:image/png;base64,AA>' +
      '<a href="https://shop.test">ok</a><a href="{{product_url}}">ok</a><a href="mailto:a@b.test">ok</a>';
    expect(
      lintTemplate([variant('fr', 'x', html)], known, []).map((issue) => issue.kind === 'unsafeLink' && issue.link),
    ).toEqual(['javascript:alert(1)', 'http://shop.test', 'data:image/png;base64,AA']);
    expect(isSafeLink('{{ product_url }}')).toBe(true);
    expect(isSafeLink('{{first_name}}')).toBe(false);
    expect(isSafeLink('  https://x.test')).toBe(true);
    expect(isSafeLink('/relative')).toBe(false);
  });
});

describe('fillPlaceholders (as the database renders)', () => {
  const values = { first_name: 'Zoë <b>', new_price: '€96', percent_saved: 20, product: { title: '裙子' } };

  it.each(EVERY_LANGUAGE.map((v) => [v.language, v] as const))(
    'renders the %s variant with every value filled',
    (_, v) => {
      const text = fillPlaceholders(v.body_text, values);
      expect(text).toContain('Zoë <b>');
      expect(text).toContain('€96');
      expect(text).toContain('20');
      expect(text).not.toContain('{{');
    },
  );

  it('escapes values in HTML only, leaves missing and non-scalar values empty, and never expands twice', () => {
    expect(fillPlaceholders('<p>{{first_name}}</p>', values, true)).toBe('<p>Zoë &lt;b&gt;</p>');
    expect(fillPlaceholders('{{ product.title }}|{{missing}}|{{product}}', values)).toBe('裙子||');
    expect(fillPlaceholders('{{first_name}}', { first_name: '{{new_price}}', new_price: 'x' })).toBe('{{new_price}}');
    expect(placeholders('{{a}} {{ b.c }} {{a}}')).toEqual(['a', 'b.c']);
  });
});
