import type { SelectOption } from '@/components/ui/select-field.tsx';
import { formatUtcOffset, timeZones } from '@/lib/dates.ts';

/**
 * Every IANA zone as "Europe/Berlin (UTC+01:00)", with the current value kept even if this
 * browser does not list it (an older engine, or a zone renamed since it was saved).
 */
export function timeZoneOptions(current: string, now: number = Date.now()): SelectOption[] {
  const zones = timeZones();
  const all = zones.includes(current) ? zones : [current, ...zones];
  return all.map((zone) => ({ value: zone, label: `${zone.replace(/_/g, ' ')} (${formatUtcOffset(zone, now)})` }));
}
