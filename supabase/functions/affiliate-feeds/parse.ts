/**
 * Affiliate feeds as rows: CSV (RFC 4180: quoted fields, doubled quotes, CRLF; comma, semicolon
 * or tab, whichever the header uses) or JSON (an array of objects, or an object whose `products`
 * or `items` is one). Each row becomes Cairn's eight fields as text, found under the feed's own
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

type Format = 'csv' | 'json';

export function parseFeed(text: string, format: Format, fieldMap: Record<string, string> = {}): FeedRow[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return format === 'csv' ? parseCsvFeed(body, fieldMap) : parseJsonFeed(body, fieldMap);
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
