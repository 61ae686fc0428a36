import { z } from 'zod/mini';

export const FEED_FIELDS = ['id', 'title', 'brand', 'price', 'currency', 'availability', 'image', 'url'] as const;

/**
 * "field=column, …" → { field: column }: the feed's own names where they differ from the usual
 * ones. Unknown fields and malformed pairs are refused (null).
 */
export function parseFieldMap(text: string): Record<string, string> | null {
  const map: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z]+)\s*=\s*(\S.*)$/.exec(pair);
    if (!match || !(FEED_FIELDS as readonly string[]).includes(match[1])) return null;
    map[match[1]] = match[2].trim();
  }
  return map;
}

/** The add-feed form; the database checks the same again (23514, 23505 for a taken network). */
export const affiliateFeedSchema = z.object({
  network: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'portal:feeds.validation.network'),
      z.maxLength(100, 'portal:feeds.validation.network'),
    ),
  feed_url: z
    .string()
    .check(
      z.trim(),
      z.regex(/^https?:\/\/\S+$/, 'portal:feeds.validation.url'),
      z.maxLength(2000, 'portal:feeds.validation.url'),
    ),
  format: z.enum(['csv', 'json', 'xml']),
  interval_minutes: z
    .int('portal:feeds.validation.interval')
    .check(z.gte(15, 'portal:feeds.validation.interval'), z.lte(10080, 'portal:feeds.validation.interval')),
  field_map: z.string().check(z.refine((text) => parseFieldMap(text) !== null, 'portal:feeds.validation.fieldMap')),
});

export type AffiliateFeedInput = z.infer<typeof affiliateFeedSchema>;
