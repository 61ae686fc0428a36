import { Clock } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { formatTime, formatUtcOffset } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

/** "14:05 (UTC+01:00)": what time it is for the customer now, so nobody calls them at 3 a.m. */
export function LocalTime({ timeZone }: { timeZone: string | null }) {
  const { t } = useTranslation('customer');
  const { language } = useZoneAndLanguage();
  const now = useMinuteClock();
  if (!timeZone) return <span className="c360-muted">{t('header.noTimeZone')}</span>;
  return (
    <span className="c360-local-time">
      <Clock aria-hidden="true" size={14} />
      <time dateTime={now.toISOString()}>{formatTime(now, { timeZone, language })}</time>
      <span className="c360-muted">
        {formatUtcOffset(timeZone, now)} · {timeZone}
      </span>
    </span>
  );
}

/** The current time, updated on the minute (not every second: nothing on screen needs seconds). */
function useMinuteClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let interval: ReturnType<typeof setInterval> | undefined;
    const timeout = setTimeout(
      () => {
        setNow(new Date());
        interval = setInterval(() => setNow(new Date()), 60_000);
      },
      60_000 - (Date.now() % 60_000),
    );
    return () => {
      clearTimeout(timeout);
      if (interval) clearInterval(interval);
    };
  }, []);
  return now;
}
