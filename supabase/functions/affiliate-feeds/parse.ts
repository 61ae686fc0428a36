/**
 * Affiliate feeds as rows: CSV (RFC 4180: quoted fields, doubled quotes, CRLF; comma, semicolon
 * or tab, whichever the header uses), JSON (an array of objects, or an object whose `products`
 * or `items` is one) or XML (repeated `<item>`, `<product>`, `<entry>` or `<offer>` elements whose
 * child elements are the fields, as Google Shopping's RSS and most affiliate networks send them). Each row becomes Cairn's eight fields as text, found under the feed's own
 * name (the field map) or the usual names; the database validates them (one reason per refused
 * row). A feed that cannot be read at all is a FeedError.
 */

export const FIELDS = ['id', 'title', 'brand', 'price', 'currency', 'availability', 'image', 'url'] as const;
export type Field = (typeof FIELDS)[number];
export type FeedRow = { line: number; fields: Record<Field, string> };

/** The names feeds commonly use for each field (lower case), after the field map's. */
const ALIASES: Record<Field, string[]> = {
  id: ['id', 'item_id', 'product_id', 'sku', 'aw_product_id', 'g:id'],
  title: ['title', 'name', 'product_name', 'g:title'],
  brand: ['brand', 'brand_name', 'vendor', 'manufacturer', 'g:brand'],
  price: ['price', 'search_price', 'sale_price', 'g:price'],
  currency: ['currency', 'currency_code', 'price_currency'],
  availability: ['availability', 'stock', 'stock_status', 'in_stock', 'g:availability'],
  image: ['image', 'image_url', 'image_link', 'merchant_image_url', 'g:image_link'],
  url: ['url', 'link', 'product_url', 'deep_link', 'aw_deep_link', 'g:link'],
};

/** At most this many rows per feed (bigger feeds are refused, not cut short). */
export const MAX_ROWS = 200_000;
/** A field longer than this is cut (the database then refuses the row if it matters). */
const MAX_FIELD = 5_000;

export class FeedError extends Error {}

export type Format = 'csv' | 'json' | 'xml';

export function parseFeed(text: string, format: Format, fieldMap: Record<string, string> = {}): FeedRow[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (format === 'csv') return parseCsvFeed(body, fieldMap);
  return format === 'json' ? parseJsonFeed(body, fieldMap) : parseXmlFeed(body, fieldMap);
}

/** The key a field is read from among `keys`: the field map's name, else the first usual name. */
function sourceOf(field: Field, present: Set<string>, fieldMap: Record<string, string>): string | null {
  const mapped = fieldMap[field]?.trim().toLowerCase();
  if (mapped) return present.has(mapped) ? mapped : null;
  return ALIASES[field].find((name) => present.has(name)) ?? null;
}

function picker(
  keys: string[],
  fieldMap: Record<string, string>,
): (record: Record<string, string>) => Record<Field, string> {
  const present = new Set(keys);
  const source = {} as Record<Field, string | null>;
  for (const field of FIELDS) source[field] = sourceOf(field, present, fieldMap);
  return (record) => {
    const fields = {} as Record<Field, string>;
    for (const field of FIELDS) {
      const name = source[field];
      fields[field] = name === null ? '' : (record[name] ?? '').slice(0, MAX_FIELD);
    }
    // Google Shopping's way: the currency in the price ("15.00 EUR") when the feed has no column of its own.
    const priced = fields.currency === '' ? /^\s*([0-9]+(?:\.[0-9]+)?)\s+([A-Za-z]{3})\s*$/.exec(fields.price) : null;
    if (priced) [fields.price, fields.currency] = [priced[1], priced[2].toUpperCase()];
    return fields;
  };
}

/** Records of a CSV text: the first non-empty line is the header. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].reduce((best, candidate) =>
    firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best,
  );
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += char;
      i += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (char === '\r' && text[i + 1] === '\n') i += 1;
    } else field += char;
    i += 1;
  }
  if (quoted) throw new FeedError('The CSV ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function parseCsvFeed(text: string, fieldMap: Record<string, string>): FeedRow[] {
  const records = parseCsv(text);
  const headerIndex = records.findIndex((record) => record.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new FeedError('The feed is empty');
  const header = records[headerIndex].map((name) => name.trim().toLowerCase());
  const pick = picker(header, fieldMap);
  if (sourceOf('id', new Set(header), fieldMap) === null) {
    throw new FeedError(`The CSV header has no id column (found: ${header.slice(0, 20).join(', ').slice(0, 300)})`);
  }
  const rows: FeedRow[] = [];
  for (let index = headerIndex + 1; index < records.length; index += 1) {
    const record = records[index];
    if (record.every((cell) => cell.trim() === '')) continue;
    const named: Record<string, string> = {};
    header.forEach((name, column) => {
      if (!(name in named)) named[name] = record[column] ?? '';
    });
    rows.push({ line: index + 1, fields: pick(named) });
    if (rows.length > MAX_ROWS) throw new FeedError(`The feed has more than ${MAX_ROWS} rows`);
  }
  return rows;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Objects and arrays are no field values: the database refuses the row if the field matters.
  return JSON.stringify(value).slice(0, MAX_FIELD);
}

function parseJsonFeed(text: string, fieldMap: Record<string, string>): FeedRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FeedError('The feed is not valid JSON');
  }
  const list = Array.isArray(parsed)
    ? parsed
    : parsed && typeof parsed === 'object'
      ? ((parsed as Record<string, unknown>).products ?? (parsed as Record<string, unknown>).items)
      : undefined;
  if (!Array.isArray(list))
    throw new FeedError('The JSON feed must be an array of products (or { "products": [...] })');
  if (list.length > MAX_ROWS) throw new FeedError(`The feed has more than ${MAX_ROWS} rows`);
  return list.map((item, index) => {
    const named: Record<string, string> = {};
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
        const name = key.trim().toLowerCase();
        if (!(name in named)) named[name] = asText(value);
      }
    }
    const fields = picker(Object.keys(named), fieldMap)(named);
    return { line: index + 1, fields };
  });
}

/** The elements an XML feed repeats, one a product, in the order they are looked for. */
const XML_RECORDS = ['item', 'product', 'entry', 'offer'];

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * An element's text: CDATA kept as it is, tags inside dropped, the five XML entities and numeric
 * references decoded. Other entities (a DOCTYPE's own) are never expanded.
 */
function xmlText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part.slice(9, -3)
        : part.replace(/<[^>]*>/g, '').replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
            if (name[0] !== '#') return XML_ENTITIES[name.toLowerCase()] ?? whole;
            const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
            return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
          }),
    )
    .join('')
    .trim();
}

/** The child elements of one record as name → text (names lower case, the first of a name kept). */
function xmlFields(inner: string): Record<string, string> {
  const named: Record<string, string> = {};
  let at = 0;
  for (;;) {
    const open = inner.indexOf('<', at);
    if (open < 0) return named;
    if (inner.startsWith('<![CDATA[', open) || inner.startsWith('<!--', open) || inner[open + 1] === '/') {
      const end = inner.startsWith('<![CDATA[', open) ? inner.indexOf(']]>', open) : inner.indexOf('>', open);
      if (end < 0) throw new FeedError('The XML feed has an element that never ends');
      at = end + 1;
      continue;
    }
    const name = /^<([A-Za-z_][\w:.-]*)/.exec(inner.slice(open, open + 200))?.[1];
    const tagEnd = inner.indexOf('>', open);
    if (!name || tagEnd < 0) throw new FeedError('The XML feed has a broken tag');
    const key = name.toLowerCase();
    if (inner[tagEnd - 1] === '/') {
      named[key] ??= '';
      at = tagEnd + 1;
      continue;
    }
    const close = inner.indexOf(`</${name}`, tagEnd);
    if (close < 0) throw new FeedError(`The XML feed's <${name}> is never closed`);
    named[key] ??= xmlText(inner.slice(tagEnd + 1, close)).slice(0, MAX_FIELD);
    at = inner.indexOf('>', close) + 1 || inner.length;
  }
}

/**
 * Rows of an XML feed, scanned with indexOf (linear, whatever the input): the first of
 * XML_RECORDS the feed uses is a product; each row's line is where its element starts.
 */
function parseXmlFeed(text: string, fieldMap: Record<string, string>): FeedRow[] {
  if (!text.trimStart().startsWith('<')) throw new FeedError('The feed is not XML');
  const lower = text.toLowerCase();
  const recordOpen = (tag: string, from: number) => {
    for (let at = lower.indexOf(`<${tag}`, from); at >= 0; at = lower.indexOf(`<${tag}`, at + 1)) {
      if (/[\s>/]/.test(lower[at + tag.length + 1] ?? '')) return at;
    }
    return -1;
  };
  const tag = XML_RECORDS.find((candidate) => recordOpen(candidate, 0) >= 0);
  if (!tag) throw new FeedError(`The XML feed has no ${XML_RECORDS.map((name) => `<${name}>`).join(', ')} elements`);
  const rows: FeedRow[] = [];
  let line = 1;
  let counted = 0;
  for (let start = recordOpen(tag, 0); start >= 0;) {
    for (; counted < start; counted += 1) if (text.charCodeAt(counted) === 10) line += 1;
    const body = text.indexOf('>', start) + 1;
    const empty = body > 0 && text[body - 2] === '/';
    const end = empty ? body : lower.indexOf(`</${tag}>`, body);
    if (body === 0 || end < 0) throw new FeedError(`The XML feed's <${tag}> on line ${line} is never closed`);
    const named = empty ? {} : xmlFields(text.slice(body, end));
    rows.push({ line, fields: picker(Object.keys(named), fieldMap)(named) });
    if (rows.length > MAX_ROWS) throw new FeedError(`The feed has more than ${MAX_ROWS} rows`);
    start = recordOpen(tag, end);
  }
  return rows;
}
