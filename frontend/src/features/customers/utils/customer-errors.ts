/**
 * Turns the database's refusal of a customer write into something a person can act on: which
 * field, and a translation key saying what is wrong. Raw messages and codes are never shown.
 */
export interface FieldProblem {
  /** A form field path ("email", "customFields.birthday"), or null for the whole form. */
  field: string | null;
  message: string;
}

interface DatabaseError {
  code?: string;
  message?: string;
}

const CUSTOM_FIELD_PROBLEMS: Array<[RegExp, string]> = [
  [/must be one of/, 'customers:customFieldErrors.notAnOption'],
  [/must be a list of values/, 'customers:customFieldErrors.notOptions'],
  [/must be a date/, 'customers:customFieldErrors.notADate'],
  [/must be a number/, 'customers:customFieldErrors.notANumber'],
  [/must be true or false/, 'customers:customFieldErrors.notABoolean'],
  [/must be a web address/, 'customers:customFieldErrors.notAUrl'],
  [/must be an email address/, 'customers:customFieldErrors.notAnEmail'],
  [/must be text/, 'customers:customFieldErrors.notText'],
  [/is archived/, 'customers:customFieldErrors.archived'],
  [/is required/, 'customers:customFieldErrors.required'],
];

const CONSTRAINT_FIELDS: Array<[RegExp, string, string]> = [
  // The raw unique violation, or the database's words to team members (review L-7).
  [/customers_email_key|a customer with this email address already exists/, 'email', 'customers:validation.emailTaken'],
  [/customers_email_check/, 'email', 'customers:validation.emailInvalid'],
  [/customers_phone_check/, 'phone', 'customers:validation.phoneInvalid'],
  [/customers_timezone_check/, 'timezone', 'customers:validation.timeZoneInvalid'],
  [/customers_has_a_name_or_contact/, 'firstName', 'customers:validation.nameOrContact'],
];

export function problemsOf(error: unknown): FieldProblem[] {
  const { code, message = '' } = (error ?? {}) as DatabaseError;
  if (code === '42501') return [{ field: null, message: 'customers:form.notAllowed' }];
  for (const [pattern, field, key] of CONSTRAINT_FIELDS) {
    if (pattern.test(message)) return [{ field, message: key }];
  }
  // 'custom fields "a", "b" are required' names several; each gets its own message.
  const several = message.match(/^custom fields (.+) are required/);
  if (several?.[1]) {
    return [...several[1].matchAll(/"([a-z][a-z0-9_]*)"/g)].map((match) => ({
      field: `customFields.${match[1]}`,
      message: 'customers:customFieldErrors.required',
    }));
  }
  const one = message.match(/^custom field "?([a-z][a-z0-9_]*)"? (.*)$/);
  if (one?.[1]) {
    const [, key, problem = ''] = one;
    const known = CUSTOM_FIELD_PROBLEMS.find(([pattern]) => pattern.test(problem));
    return [{ field: `customFields.${key}`, message: known?.[1] ?? 'customers:customFieldErrors.invalid' }];
  }
  if (code === '23503') return [{ field: null, message: 'customers:form.referenceMissing' }];
  return [{ field: null, message: 'customers:form.saveFailed' }];
}
