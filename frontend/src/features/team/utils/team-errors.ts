/**
 * What went wrong, as a translation key a person can act on. Database refusals are recognised
 * by their SQLSTATE and the detail our triggers set, never by the wording of a message.
 */
interface DatabaseError {
  code?: string;
  details?: string | null;
}

export function memberChangeErrorKey(error: unknown): string {
  const { code, details } = (error ?? {}) as DatabaseError;
  if (details === 'last_admin') return 'settings:team.errors.lastAdmin';
  if (code === '42501') return 'settings:team.errors.notAllowed';
  return 'settings:team.errors.changeFailed';
}

const INVITE_ERROR_KEYS: Record<string, string> = {
  already_member: 'settings:team.invite.errors.alreadyMember',
  email_in_use: 'settings:team.invite.errors.emailInUse',
  forbidden: 'settings:team.invite.errors.notAllowed',
  invalid_token: 'settings:team.invite.errors.notAllowed',
  rate_limited: 'settings:team.invite.errors.rateLimited',
  invalid_request: 'settings:team.invite.errors.invalid',
};

export function inviteErrorKey(code: string): string {
  return INVITE_ERROR_KEYS[code] ?? 'settings:team.invite.errors.failed';
}
