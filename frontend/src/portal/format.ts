/** Money and percentages in the shopper's language. */
export function money(amount: number | null | undefined, currency: string | null | undefined, language: string) {
  if (amount === null || amount === undefined || !currency) return '—';
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function percent(change: number, language: string) {
  return new Intl.NumberFormat(language, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(change / 100);
}
