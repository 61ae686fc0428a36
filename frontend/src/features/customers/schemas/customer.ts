import { z } from 'zod/mini';

import type { Json } from '@/types/database.types.ts';

import type { CustomerRecord, CustomerWrite } from '../api/customers.ts';
import type { CustomFieldDefinition } from '@/api/custom-fields.ts';
import { CUSTOMER_STATUSES } from '../utils/list-params.ts';

/** What a custom field holds in the form: text inputs give strings, multiselects arrays. */
export type CustomFieldValue = string | string[];

const optionalText = (max: number) => z.string().check(z.trim(), z.maxLength(max, 'customers:validation.tooLong'));

/**
 * One schema for the customer form and the write (style.md). It checks what a person can fix
 * before sending; the database stays the judge (unique email, custom field types, policies),
 * and its refusals are shown next to the field they concern (utils/customer-errors.ts).
 */
export const customerSchema = z
  .object({
    firstName: optionalText(100),
    lastName: optionalText(100),
    email: z.union([z.literal(''), z.email('customers:validation.emailInvalid').check(z.trim())]),
    // E.164 as the database checks it: +, country code, up to 15 digits. Spaces are forgiven.
    phone: z.pipe(
      z.pipe(
        z.string(),
        z.transform((value: string) => value.replace(/[\s().-]/g, '')),
      ),
      z
        .string()
        .check(
          z.refine((value) => value === '' || /^\+[1-9][0-9]{6,14}$/.test(value), 'customers:validation.phoneInvalid'),
        ),
    ),
    company: optionalText(200),
    country: z.string(),
    region: optionalText(100),
    city: optionalText(100),
    postalCode: optionalText(20),
    timezone: z.string(),
    language: z.string(),
    currency: z.string(),
    status: z.enum(CUSTOMER_STATUSES),
    stage: z.string().check(z.minLength(1)),
    ownerId: z.string(),
    customFields: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  })
  .check(
    z.refine(
      (values) => [values.firstName, values.lastName, values.email, values.phone, values.company].some(Boolean),
      {
        message: 'customers:validation.nameOrContact',
        path: ['firstName'],
      },
    ),
  );

export type CustomerFormValues = z.input<typeof customerSchema>;
export type CustomerFormOutput = z.output<typeof customerSchema>;

const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());

/** A form value as the JSON the database expects for the field's type; null removes it. */
export function customFieldJson(definition: CustomFieldDefinition, value: CustomFieldValue | undefined): Json {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.length > 0 ? value : null;
  const text = value.trim();
  if (text === '') return null;
  if (definition.type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (definition.type === 'boolean') return text === 'true';
  return text;
}

export function toCustomerWrite(values: CustomerFormOutput, definitions: CustomFieldDefinition[]): CustomerWrite {
  const customFields: Record<string, Json> = {};
  for (const definition of definitions) {
    const value = values.customFields[definition.key];
    // Archived fields are shown read-only and left untouched: the database refuses a new value.
    if (definition.active && value !== undefined) customFields[definition.key] = customFieldJson(definition, value);
  }
  return {
    first_name: blankToNull(values.firstName),
    last_name: blankToNull(values.lastName),
    email: blankToNull(values.email),
    phone: blankToNull(values.phone),
    company: blankToNull(values.company),
    country: blankToNull(values.country),
    region: blankToNull(values.region),
    city: blankToNull(values.city),
    postal_code: blankToNull(values.postalCode),
    timezone: blankToNull(values.timezone),
    language: blankToNull(values.language),
    currency: blankToNull(values.currency),
    status: values.status,
    lifecycle_stage: values.stage,
    owner_id: blankToNull(values.ownerId),
    custom_fields: customFields,
  };
}

function formValueOf(definition: CustomFieldDefinition, stored: Json | undefined): CustomFieldValue {
  if (definition.type === 'multiselect') return Array.isArray(stored) ? stored.map(String) : [];
  if (stored === null || stored === undefined) return '';
  return String(stored);
}

export function formValuesOf(
  record: CustomerRecord | null,
  definitions: CustomFieldDefinition[],
  defaults: { ownerId: string },
): CustomerFormValues {
  const stored =
    record?.custom_fields && typeof record.custom_fields === 'object' && !Array.isArray(record.custom_fields)
      ? record.custom_fields
      : {};
  return {
    firstName: record?.first_name ?? '',
    lastName: record?.last_name ?? '',
    email: record?.email ?? '',
    phone: record?.phone ?? '',
    company: record?.company ?? '',
    country: record?.country ?? '',
    region: record?.region ?? '',
    city: record?.city ?? '',
    postalCode: record?.postal_code ?? '',
    timezone: record?.timezone ?? '',
    language: record?.language ?? '',
    currency: record?.currency ?? '',
    status: record?.status ?? 'active',
    stage: record?.lifecycle_stage ?? 'prospect',
    ownerId: record ? (record.owner_id ?? '') : defaults.ownerId,
    customFields: Object.fromEntries(
      definitions.map((definition) => [definition.key, formValueOf(definition, stored[definition.key])]),
    ),
  };
}
