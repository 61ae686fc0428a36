import type { Language } from '@/lib/i18n.ts';

/** What to call a customer when a name is missing: the database only asks for a name or a contact. */
export function displayName(customer: {
  full_name: string | null;
  email: string | null;
  company: string | null;
  phone: string | null;
}): string | null {
  return customer.full_name ?? customer.email ?? customer.company ?? customer.phone;
}

/**
 * Country, language and currency names in the viewer's language, from the browser's own data
 * (Intl.DisplayNames), so no list of names has to be shipped or translated. Falls back to the code.
 */
export function displayNameOf(type: 'region' | 'language' | 'currency', code: string | null, language: Language) {
  if (!code) return null;
  try {
    return new Intl.DisplayNames(language, { type }).of(code) ?? code;
  } catch {
    return code;
  }
}
