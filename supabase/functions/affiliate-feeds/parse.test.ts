import { deepStrictEqual, ok, throws } from 'node:assert/strict';
import { FeedError, parseCsv, parseFeed } from './parse.ts';

Deno.test('parseCsv reads quoted fields, doubled quotes, CRLF and the header’s delimiter', () => {
  deepStrictEqual(parseCsv('a,b\r\n"x, ""y""",2\n'), [
    ['a', 'b'],
    ['x, "y"', '2'],
  ]);
  deepStrictEqual(parseCsv('a;b\n1,5;2'), [
    ['a', 'b'],
    ['1,5', '2'],
  ]);
  deepStrictEqual(parseCsv('a\tb\n"line\nbreak"\t2'), [
    ['a', 'b'],
    ['line\nbreak', '2'],
  ]);
});

Deno.test('parseFeed maps usual names and the field map, numbering CSV lines as the file does', () => {
  const rows = parseFeed('\uFEFFSKU,Name,Link,Extra\n\nA1,Coat,https://x.example/a\n', 'csv', { title: 'name' });
  deepStrictEqual(rows, [
    {
      line: 3,
      fields: {
        id: 'A1',
        title: 'Coat',
        brand: '',
        price: '',
        currency: '',
        availability: '',
        image: '',
        url: 'https://x.example/a',
      },
    },
  ]);
  const json = parseFeed('[{"id": 7, "title": {"nested": true}, "price": 1.5}]', 'json');
  deepStrictEqual(json[0].fields.id, '7');
  deepStrictEqual(json[0].fields.title, '{"nested":true}');
  deepStrictEqual(json[0].fields.price, '1.5');
});

Deno.test('a feed that cannot be read is a FeedError, never another exception', () => {
  throws(() => parseFeed('', 'csv'), FeedError);
  throws(() => parseFeed('title\nx', 'csv'), FeedError);
  throws(() => parseFeed('id\n"open', 'csv'), FeedError);
  throws(() => parseFeed('{', 'json'), FeedError);
  throws(() => parseFeed('{"items": 3}', 'json'), FeedError);
  throws(() => parseFeed('id,title', 'xml'), FeedError);
  throws(() => parseFeed('<rss><channel></channel></rss>', 'xml'), FeedError);
  throws(() => parseFeed('<products><product><id>1</id>', 'xml'), FeedError);
  throws(() => parseFeed('<products><product><id>1</product></products>', 'xml'), FeedError);
  // Random bytes-as-text: rows or a FeedError, nothing else.
  const alphabet = 'id,title"\n\r;\t{}[]:0123456789abc <>/!&#x;';
  for (let round = 0; round < 500; round += 1) {
    let text = round % 3 === 1 ? 'id,title,price\n' : round % 3 === 2 ? '<products><product><id>' : '';
    for (let i = 0; i < 40; i += 1) text += alphabet[Math.floor(Math.random() * alphabet.length)];
    for (const format of ['csv', 'json', 'xml'] as const) {
      try {
        ok(Array.isArray(parseFeed(text, format)));
      } catch (error) {
        ok(error instanceof FeedError, `${format}: ${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
  }
});

Deno.test('parseFeed reads an XML feed: Google Shopping RSS, CDATA, entities, the currency in the price', () => {
  const rss = [
    '<?xml version="1.0"?>',
    '<rss xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title>',
    '<item>',
    '  <g:id>G-1</g:id><title><![CDATA[Rain <shell> & hood]]></title><g:brand>Larch &amp; Pine</g:brand>',
    '  <g:price>129.90 EUR</g:price><g:availability>in_stock</g:availability>',
    '  <g:image_link/><link>https://x.example/p?a=1&amp;b=2</link><g:shipping><g:country>DE</g:country></g:shipping>',
    '</item>',
    '<item><g:id>G-2</g:id><title>Caf&#233; &#x2615;</title><g:price>5</g:price></item>',
    '<item/>',
    '</channel></rss>',
  ].join('\n');
  deepStrictEqual(parseFeed(rss, 'xml'), [
    {
      line: 3,
      fields: {
        id: 'G-1',
        title: 'Rain <shell> & hood',
        brand: 'Larch & Pine',
        price: '129.90',
        currency: 'EUR',
        availability: 'in_stock',
        image: '',
        url: 'https://x.example/p?a=1&b=2',
      },
    },
    {
      line: 8,
      fields: {
        id: 'G-2',
        title: 'Café ☕',
        brand: '',
        price: '5',
        currency: '',
        availability: '',
        image: '',
        url: '',
      },
    },
    {
      line: 9,
      fields: { id: '', title: '', brand: '', price: '', currency: '', availability: '', image: '', url: '' },
    },
  ]);
  // <product> records with the feed's own names through the field map; an undeclared entity stays as it is.
  const products = parseFeed(
    '<products>\n<product sku="x"><ref>P-1</ref><name>Cap &nbsp;</name><cost>9.5</cost></product>\n</products>',
    'xml',
    { id: 'ref', price: 'cost' },
  );
  deepStrictEqual(products[0].line, 2);
  deepStrictEqual(
    [products[0].fields.id, products[0].fields.title, products[0].fields.price],
    ['P-1', 'Cap &nbsp;', '9.5'],
  );
});
