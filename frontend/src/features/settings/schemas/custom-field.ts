import { z } from 'zod';

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

/**
 * One schema for the custom field form and the API call, mirroring the table's checks
 * (custom_field_definitions_key_is_a_slug, _label_is_short, the options guard) so most
 * mistakes are caught before a round trip. Options are typed one per line.
 */
export const customFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'settings:customFields.validation.keyInvalid'),
    label: z
      .string()
      .trim()
      .min(1, 'settings:customFields.validation.labelRequired')
      .max(100, 'settings:customFields.validation.labelTooLong'),
    type: z.enum(CUSTOM_FIELD_TYPES),
    optionsText: z.string(),
    required: z.boolean(),
    active: z.boolean(),
    position: z.number().int(),
    helpText: z.string().trim().max(500, 'settings:customFields.validation.helpTooLong'),
  })
  .transform(({ optionsText, ...field }) => ({
    ...field,
    options: hasOptions(field.type)
      ? optionsText
          .split('\n')
          .map((option) => option.trim())
          .filter(Boolean)
      : [],
  }))
  .superRefine((field, context) => {
    if (!hasOptions(field.type)) return;
    const problem =
      field.options.length === 0
        ? 'settings:customFields.validation.optionsRequired'
        : new Set(field.options).size !== field.options.length
          ? 'settings:customFields.validation.optionsUnique'
          : field.options.some((option) => option.length > 100)
            ? 'settings:customFields.validation.optionTooLong'
            : null;
    if (problem) context.addIssue({ code: 'custom', path: ['optionsText'], message: problem });
  });

export type CustomFieldFormValues = z.input<typeof customFieldSchema>;
export type CustomFieldInput = z.output<typeof customFieldSchema>;
