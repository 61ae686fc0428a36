/**
 * Exact decimal arithmetic for money. Shopify sends amounts as decimal strings ("19.99");
 * adding or multiplying them as floats drifts (0.1 + 0.2), so sums are done on integers
 * scaled by 10^6 and only the result becomes a JS number. Such a number prints back to the
 * same short decimal, so it lands exactly in a Postgres `numeric` column.
 */

/** A decimal string as Shopify writes money: optional minus, digits, optional fraction (≤ 6 places). */
export const DECIMAL_PATTERN = /^-?\d{1,15}(?:\.\d{1,6})?$/;

const SCALE_DIGITS = 6;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

/** The decimal string as an integer count of millionths. Throws on anything but DECIMAL_PATTERN. */
export function toScaled(decimal: string): bigint {
  if (!DECIMAL_PATTERN.test(decimal)) throw new RangeError(`Not a decimal amount: ${decimal}`);
  const negative = decimal.startsWith('-');
  const [whole, fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const scaled = BigInt(whole) * SCALE + BigInt(fraction.padEnd(SCALE_DIGITS, '0'));
  return negative ? -scaled : scaled;
}

/** Millionths back to a decimal string without trailing zeros ("19.9", "20", "-0.05"). */
export function scaledToDecimal(scaled: bigint): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function scaledToNumber(scaled: bigint): number {
  return Number(scaledToDecimal(scaled));
}

/** A Shopify money string as a number (exact to its printed decimals). */
export function money(decimal: string): number {
  return scaledToNumber(toScaled(decimal));
}

/** The exact sum as a decimal string (for further exact arithmetic). */
export function sumDecimals(decimals: string[]): string {
  return scaledToDecimal(decimals.reduce((sum, decimal) => sum + toScaled(decimal), 0n));
}

export function sumMoney(decimals: string[]): number {
  return Number(sumDecimals(decimals));
}

/** unit price × quantity − discount, exactly. */
export function lineTotal(price: string, quantity: number, discount = '0'): number {
  return scaledToNumber(toScaled(price) * BigInt(quantity) - toScaled(discount));
}

/**
 * `numerator / denominator` as a number rounded to 8 decimals (exchange rates), or null when
 * the denominator is zero (a free order carries no rate).
 */
export function ratio(numerator: string, denominator: string): number | null {
  const d = toScaled(denominator);
  if (d === 0n) return null;
  const places = 10n ** 8n;
  const n = toScaled(numerator) * places;
  // Round half away from zero on the integer quotient.
  const quotient = (2n * n + (n < 0n === d < 0n ? d : -d)) / (2n * d);
  return Number(quotient) / Number(places);
}
