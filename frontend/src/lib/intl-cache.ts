/**
 * Intl formatters are costly to create (about 0.1 ms each, far more than formatting) and a
 * screen such as the pipeline board formats hundreds of amounts and dates per render: one
 * formatter per language and options is created once and reused, instead of one per call.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const relativeTimeFormats = new Map<string, Intl.RelativeTimeFormat>();

function cached<F, O>(
  cache: Map<string, F>,
  create: (locale: string, options?: O) => F,
  locale: string,
  options?: O,
): F {
  const key = `${locale}|${JSON.stringify(options ?? {})}`;
  let formatter = cache.get(key);
  if (!formatter) {
    formatter = create(locale, options);
    cache.set(key, formatter);
  }
  return formatter;
}

export const numberFormat = (locale: string, options?: Intl.NumberFormatOptions) =>
  cached(numberFormats, (l, o) => new Intl.NumberFormat(l, o), locale, options);

export const dateTimeFormat = (locale: string, options?: Intl.DateTimeFormatOptions) =>
  cached(dateTimeFormats, (l, o) => new Intl.DateTimeFormat(l, o), locale, options);

export const relativeTimeFormat = (locale: string, options?: Intl.RelativeTimeFormatOptions) =>
  cached(relativeTimeFormats, (l, o) => new Intl.RelativeTimeFormat(l, o), locale, options);

/**
 * A pure formatting function remembered by its arguments' key, for the date-fns-tz formats
 * (about 0.2 ms a call: each resolves the zone's offset again). The cache is emptied when it
 * holds `limit` entries, so it never grows without bound.
 */
export function memoizeFormat<A extends unknown[]>(
  format: (...args: A) => string,
  keyOf: (...args: A) => string,
  limit = 2_000,
): (...args: A) => string {
  const results = new Map<string, string>();
  return (...args: A) => {
    const key = keyOf(...args);
    let result = results.get(key);
    if (result === undefined) {
      if (results.size >= limit) results.clear();
      result = format(...args);
      results.set(key, result);
    }
    return result;
  };
}
