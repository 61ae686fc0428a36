/**
 * ecb-rates: imports the European Central Bank's reference rates (per EUR) into exchange_rates,
 * cross-rated to the workspace base currency by public.import_ecb_rates. Called by its schedule
 * (weekdays after the ECB publishes; X-Cron-Secret) or the service role; `{ "history": true }`
 * reads the full history file (for backfilled orders) instead of the daily one.
 */
import { z } from 'zod';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { jwtClaims } from '../_shared/jwt-claims.ts';
import { scheduledCaller } from '../_shared/scheduled-call.ts';

type Env = { get(name: string): string | undefined };

export interface EcbDay {
  date: string;
  rates: Record<string, number>;
}

export interface EcbDeps {
  env: Env;
  importRates(days: EcbDay[]): Promise<number>;
  fetch?: typeof fetch;
}

/** Every `<Cube time='…'>` day with its `<Cube currency='…' rate='…'/>` rates. */
export function parseEcbXml(xml: string): EcbDay[] {
  const days: EcbDay[] = [];
  const dayPattern = /<Cube\s+time=['"](\d{4}-\d{2}-\d{2})['"]\s*>([\s\S]*?)<\/Cube>/g;
  for (const day of xml.matchAll(dayPattern)) {
    const rates: Record<string, number> = {};
    for (const rate of day[2].matchAll(/<Cube\s+currency=['"]([A-Z]{3})['"]\s+rate=['"]([0-9.]+)['"]\s*\/>/g)) {
      const value = Number(rate[2]);
      if (Number.isFinite(value) && value > 0) rates[rate[1]] = value;
    }
    if (Object.keys(rates).length > 0) days.push({ date: day[1], rates });
  }
  return days;
}

const bodySchema = z.object({ history: z.boolean().optional() }).passthrough();

export async function handleEcbRates(req: Request, deps: EcbDeps): Promise<Response> {
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const caller = scheduledCaller(jwtClaims(req.headers.get('Authorization'))?.role ?? null, req.headers, deps.env);
  if (!caller.ok) return caller.response;
  const body = await readJsonBody(req, bodySchema, 1024);
  if (!body.ok) return body.response;
  const base = deps.env.get('ECB_RATES_URL') ?? 'https://www.ecb.europa.eu/stats/eurofxref';
  const file = body.value.history ? 'eurofxref-hist.xml' : 'eurofxref-daily.xml';
  const get = deps.fetch ?? fetch;
  let xml: string;
  try {
    const response = await get(`${base}/${file}`, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) return fail('upstream_error', `The ECB answered ${response.status} for ${file}`);
    xml = await response.text();
  } catch (error) {
    return fail('upstream_error', `The ECB could not be reached: ${String(error)}`);
  }
  const days = parseEcbXml(xml);
  if (days.length === 0) return fail('upstream_error', `No rates found in ${file}`);
  let written = 0;
  // Bounded batches: the history file holds decades of days.
  for (let i = 0; i < days.length; i += 500) written += await deps.importRates(days.slice(i, i + 500));
  return jsonResponse({ days: days.length, newest: days[0].date, written });
}
