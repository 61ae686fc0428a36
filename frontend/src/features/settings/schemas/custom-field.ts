import { z } from 'zod/mini';

export const CUSTOM_FIELD_TYPES = [
  'text',
  'number',
  'boolean',
  'date',
  'select',
  'multiselect',
  'url',
  'email',
] as const;

/** Types whose values come from a list of options. */
export const hasOptions = (type: string) => type === 'select' || type === 'multiselect';

/** "Loyalty tier" → "loyalty_tier": a key the database accepts (a letter, then a-z, 0-9, _). */
export function keyFromLabel(label: string): string {
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  return slug;
}

/** Options typed one per line, as stored: trimmed, blank lines dropped. */
const optionsFrom = (type: string, text: string) =>
  hasOptions(type)
    ? text
        .split('\n')
        .map((option) => option.trim())
        .filter(Boolean)
    : [];

/** Why a select field's options would be refused, or null (the definition guard's rules). */
function optionsProblem(options: string[]): string | null {
  if (options.length === 0) return 'settings:customFields.validation.optionsRequired';
  if (new Set(options).size !== options.length) return 'settings:customFields.validation.optionsUnique';
  if (options.some((option) => option.length > 100)) return 'settings:customFields.validation.optionTooLong';
  return null;
}

const formFields = z.object({
  key: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/, 'settings:customFields.validation.keyInvalid')),
  label: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'settings:customFields.validation.labelRequired'),
      z.maxLength(100, 'settings:customFields.validation.labelTooLong'),
    ),
  type: z.enum(CUSTOM_FIELD_TYPES),
  optionsText: z.string(),
  required: z.boolean(),
  active: z.boolean(),
  position: z.int(),
  helpText: z.string().check(z.trim(), z.maxLength(500, 'settings:customFields.validation.helpTooLong')),
});

/**
 * One schema for the custom field form and the API call, mirroring the table's checks
 * (custom_field_definitions_key_is_a_slug, _label_is_short, the options guard) so most
 * mistakes are caught before a round trip. The form's options text becomes the options array.
 */
export const customFieldSchema = z.pipe(
  formFields.check(
    z.superRefine((field, context) => {
      const problem = hasOptions(field.type) ? optionsProblem(optionsFrom(field.type, field.optionsText)) : null;
      if (problem)
        context.addIssue({ code: 'custom', path: ['optionsText'], message: problem, input: field.optionsText });
    }),
  ),
  z.transform(({ optionsText, ...field }: z.output<typeof formFields>) => ({
    ...field,
    options: optionsFrom(field.type, optionsText),
  })),
);

export type CustomFieldFormValues = z.input<typeof customFieldSchema>;
export type CustomFieldInput = z.output<typeof customFieldSchema>;
