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
  // Random bytes-as-text: rows or a FeedError, nothing else.
  const alphabet = 'id,title"\n\r;\t{}[]:0123456789abc ';
  for (let round = 0; round < 500; round += 1) {
    let text = round % 2 ? 'id,title,price\n' : '';
    for (let i = 0; i < 40; i += 1) text += alphabet[Math.floor(Math.random() * alphabet.length)];
    for (const format of ['csv', 'json'] as const) {
      try {
        ok(Array.isArray(parseFeed(text, format)));
      } catch (error) {
        ok(error instanceof FeedError, `${format}: ${JSON.stringify(text)} threw ${String(error)}`);
      }
    }
  }
});
