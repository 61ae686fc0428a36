import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { formatDate, formatRelative } from '@/lib/dates.ts';
import { formatMoney, formatNumber } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

/**
 * How the list shows values to this viewer: money and numbers in their language (Intl), dates in
 * their zone, country names in their language (Intl.DisplayNames, falling back to the table's
 * English name), stages translated where Cairn ships them and as configured otherwise.
 */
export function useDisplay() {
  const { t } = useTranslation('customers');
  const zone = useZoneAndLanguage();
  const regionNames = useMemo(() => new Intl.DisplayNames([zone.language], { type: 'region' }), [zone.language]);

  return {
    money: useCallback(
      (amount: number, currency: string) => formatMoney(amount, currency, zone.language),
      [zone.language],
    ),
    number: useCallback((value: number) => formatNumber(value, zone.language), [zone.language]),
    relative: useCallback((value: string) => formatRelative(value, zone), [zone]),
    date: useCallback((value: string) => formatDate(value, zone), [zone]),
    country: useCallback(
      (code: string, fallback?: string) => {
        try {
          return regionNames.of(code) ?? fallback ?? code;
        } catch {
          return fallback ?? code;
        }
      },
      [regionNames],
    ),
    stage: useCallback((key: string, label?: string) => t(`stages.${key}`, { defaultValue: label ?? key }), [t]),
  };
}
