/**
 * The European Central Bank's reference-rate files, as the local stack serves them in place of
 * https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml and eurofxref-hist.xml: the
 * ECB's own XML layout (gesmes envelope, `<Cube time='…'>` days newest first, EUR-based rates),
 * TARGET working days only (no weekends, no 1 January / 25–26 December). The rates are a local
 * copy computed from fixed mid-2020s levels with a small deterministic drift, so runs repeat.
 */
const LEVELS: Record<string, number> = {
  USD: 1.0857,
  JPY: 162.4,
  GBP: 0.8541,
  CHF: 0.9621,
  CAD: 1.4733,
  AUD: 1.6402,
  SEK: 11.291,
  DKK: 7.4598,
  NOK: 11.623,
  PLN: 4.3015,
  MXN: 19.852,
  CNY: 7.8264,
};
const DAY = 86_400_000;
const HISTORY_DAYS = 800;

function workingDay(date: Date): boolean {
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const md = date.toISOString().slice(5, 10);
  return md !== '01-01' && md !== '12-25' && md !== '12-26';
}

/** The ECB publishes around 16:00 CET: before 15:00 UTC the newest day is the previous one. */
function lastPublished(now: Date): Date {
  let day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (now.getUTCHours() < 15) day = new Date(day.getTime() - DAY);
  while (!workingDay(day)) day = new Date(day.getTime() - DAY);
  return day;
}

function ratesOn(day: Date): Array<[string, string]> {
  const n = Math.floor(day.getTime() / DAY);
  return Object.entries(LEVELS).map(([currency, level], i) => {
    const drift = 1 + 0.03 * Math.sin(n / (40 + i * 3)) + 0.004 * Math.sin(n * 1.7 + i);
    const value = level * drift;
    return [currency, value >= 100 ? value.toFixed(2) : value >= 10 ? value.toFixed(3) : value.toFixed(4)];
  });
}

function cube(day: Date): string {
  const rates = ratesOn(day)
    .map(([currency, rate]) => `\t\t\t<Cube currency='${currency}' rate='${rate}'/>`)
    .join('\n');
  return `\t\t<Cube time='${day.toISOString().slice(0, 10)}'>\n${rates}\n\t\t</Cube>`;
}

function envelope(cubes: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
${cubes.join('\n')}
\t</Cube>
</gesmes:Envelope>
`;
}

export function renderEcbDaily(now: Date): string {
  return envelope([cube(lastPublished(now))]);
}

export function renderEcbHistory(now: Date): string {
  const cubes: string[] = [];
  const newest = lastPublished(now);
  for (let i = 0; i < HISTORY_DAYS; i++) {
    const day = new Date(newest.getTime() - i * DAY);
    if (workingDay(day)) cubes.push(cube(day));
  }
  return envelope(cubes);
}
