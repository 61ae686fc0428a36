/**
 * A sample affiliate product feed (issue 12), served by the emulator as
 * `<emulator>/feeds/sample.csv`, `/feeds/sample.json` and `/feeds/sample.xml` (Google Shopping RSS): what an admin may register locally in
 * Settings → Affiliate feeds. A dozen outdoor-clothing items of two brands, one out of stock, and
 * two rows the import refuses (an unknown currency, no product page) so the refused-rows list has
 * something to show. Prices move with the day, so a daily re-import sees price changes.
 */

interface SampleItem {
  id: string;
  title: string;
  brand: string;
  price: number;
  currency: string;
  availability: string;
  url: string;
}

const BRANDS = ['Fjellhus', 'Larch & Pine'];
const KINDS = ['Wool jumper', 'Rain shell', 'Down vest', 'Trail trousers', 'Merino beanie', 'Hiking socks'];

export function sampleFeedItems(now: Date): SampleItem[] {
  const day = Math.floor(now.getTime() / 86_400_000);
  const items: SampleItem[] = [];
  BRANDS.forEach((brand, b) =>
    KINDS.forEach((kind, k) => {
      const n = b * KINDS.length + k + 1;
      // Every third item is 10 % off on odd days: re-imports see drops and rises.
      const base = 19 + n * 11;
      const price = (day + n) % 3 === 0 && day % 2 === 1 ? Math.round(base * 90) / 100 : base;
      items.push({
        id: `SAMPLE-${String(n).padStart(3, '0')}`,
        title: `${brand} ${kind}`,
        brand,
        price,
        currency: 'EUR',
        availability: n === 4 ? 'out of stock' : 'in stock',
        url: `https://affiliate.example/go/sample-${n}`,
      });
    }),
  );
  items.push({
    id: 'SAMPLE-BAD-1',
    title: 'Unknown currency',
    brand: 'Fjellhus',
    price: 10,
    currency: 'XYZ',
    availability: 'in stock',
    url: 'https://affiliate.example/go/bad-1',
  });
  items.push({
    id: 'SAMPLE-BAD-2',
    title: 'No product page',
    brand: 'Fjellhus',
    price: 10,
    currency: 'EUR',
    availability: 'in stock',
    url: '',
  });
  return items;
}

const cell = (value: string | number) => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function renderSampleFeedCsv(now: Date): string {
  const header = ['id', 'title', 'brand', 'price', 'currency', 'availability', 'image', 'url'];
  const rows = sampleFeedItems(now).map((item) =>
    [item.id, item.title, item.brand, item.price.toFixed(2), item.currency, item.availability, '', item.url]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export function renderSampleFeedJson(now: Date): string {
  return JSON.stringify({ products: sampleFeedItems(now) });
}

const xml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same items as Google Shopping RSS 2.0: the currency in the price, `g:` names. */
export function renderSampleFeedXml(now: Date): string {
  const items = sampleFeedItems(now).map((item) =>
    [
      '<item>',
      `<g:id>${xml(item.id)}</g:id>`,
      `<title>${xml(item.title)}</title>`,
      `<g:brand>${xml(item.brand)}</g:brand>`,
      `<g:price>${item.price.toFixed(2)} ${xml(item.currency)}</g:price>`,
      `<g:availability>${xml(item.availability)}</g:availability>`,
      `<link>${xml(item.url)}</link>`,
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Sample affiliate feed</title>',
    ...items,
    '</channel></rss>',
    '',
  ].join('\n');
}
