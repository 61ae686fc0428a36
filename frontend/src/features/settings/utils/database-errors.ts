/**
 * Database refusals as translation keys a person can act on. Recognised by SQLSTATE (and the
 * operation that failed), never by the wording of Postgres' message.
 */
interface DatabaseError {
  code?: string;
  details?: string;
}

const codeOf = (error: unknown) => (error as DatabaseError | null)?.code;

/** The workspace form: requiring MFA is refused from a session that has not passed MFA itself. */
export function workspaceErrorKey(error: unknown): string {
  if ((error as DatabaseError | null)?.details === 'aal2_required') return 'settings:workspace.errors.enrolFirst';
  return saveErrorKey(error);
}

/** Any save: refused by RLS, or failed for another reason. */
export function saveErrorKey(error: unknown): string {
  return codeOf(error) === '42501' ? 'settings:errors.notAllowed' : 'settings:errors.saveFailed';
}

export function tagErrorKey(error: unknown): string {
  switch (codeOf(error)) {
    case '23505':
      return 'settings:tags.errors.duplicate';
    case '42501':
      return 'settings:errors.notAllowed';
    default:
      return 'settings:errors.saveFailed';
  }
}

export type CustomFieldOperation = 'create' | 'update' | 'delete';

export function customFieldErrorKey(error: unknown, operation: CustomFieldOperation): string {
  switch (codeOf(error)) {
    case '23505':
      return 'settings:customFields.errors.duplicateKey';
    // Options that are empty, repeated or too long for a select field.
    case '23514':
      return 'settings:customFields.errors.invalidOptions';
    // Customers hold values the change would make wrong (the definition's guard trigger).
    case '23503':
      return operation === 'delete'
        ? 'settings:customFields.errors.inUseDelete'
        : 'settings:customFields.errors.inUseChange';
    case '42501':
      return 'settings:errors.notAllowed';
    default:
      return 'settings:errors.saveFailed';
  }
}
