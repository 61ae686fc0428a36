/**
 * The field types every Shopify payload shares, and the clean-ups every mapper applies. Schemas
 * are strict on the fields Cairn reads (ids are integers, money decimal strings, timestamps
 * ISO-8601 with offset) and lenient on everything else: unknown keys are dropped (the raw
 * payload is stored separately), optional fields may be missing or null.
 */
import { z } from 'zod';
import { DECIMAL_PATTERN } from './money.ts';

/** Shopify ids: positive integers beyond 32 bits but within JS's safe range (Postgres bigint). */
export const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const moneyString = z.string().regex(DECIMAL_PATTERN, 'must be a decimal amount string');
export const timestamp = z.iso.datetime({ offset: true });
export const optionalText = z.string().nullish();
export const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');

export const nonEmpty = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

export const normalizeEmail = (value: string | null | undefined): string | null =>
  nonEmpty(value)?.toLowerCase() ?? null;

/** Shopify tags are one comma-separated string. */
export function splitTags(tags: string | null | undefined): string[] {
  return (tags ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}
