/** Numbers and money through Intl, in the viewer's language. Amounts are never rounded by hand. */
import type { Language } from './i18n.ts';
import { numberFormat } from './intl-cache.ts';

export function formatNumber(value: number, language: Language, options?: Intl.NumberFormatOptions): string {
  return numberFormat(language, options).format(value);
}

/** Money in its own currency: the currency decides the decimals (JPY 0, EUR 2, KWD 3). */
export function formatMoney(amount: number, currency: string, language: Language): string {
  return numberFormat(language, { style: 'currency', currency }).format(amount);
}

/** Large figures for KPI cards: "12.3K", "1,2 Mio.", "1.2万". */
export function formatCompact(value: number, language: Language): string {
  return numberFormat(language, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** `ratio` is a fraction: 0.125 → "12.5%". */
export function formatPercent(ratio: number, language: Language): string {
  return numberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/** Money on a chart axis: "€12K", "1,2 Mio. €", "¥1.2万". */
export function formatCompactMoney(amount: number, currency: string, language: Language): string {
  return numberFormat(language, {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(amount);
}

/** A change between two periods, always signed: "+12.5%", "−3%", "0%". `ratio` is a fraction. */
export function formatChange(ratio: number, language: Language): string {
  return numberFormat(language, {
    style: 'percent',
    maximumFractionDigits: Math.abs(ratio) < 0.1 ? 1 : 0,
    signDisplay: 'exceptZero',
  }).format(ratio);
}

/**
 * Country, language and currency names in the viewer's language, from the browser's own data
 * (Intl.DisplayNames), so no list of names has to be shipped or translated. Falls back to the code.
 */
export function displayNameOf(type: 'region' | 'language' | 'currency', code: string | null, language: Language) {
  if (!code) return null;
  try {
    return new Intl.DisplayNames(language, { type }).of(code) ?? code;
  } catch {
    return code;
  }
}
