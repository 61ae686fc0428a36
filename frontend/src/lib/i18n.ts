import i18next, { type Resource, type ResourceLanguage } from 'i18next';
import { initReactI18next } from 'react-i18next';

/** The languages Cairn ships; the same list the database allows in team_members.language. */
export const LANGUAGES = ['en', 'es', 'fr', 'de', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language named in itself, so a person finds their own language whatever is shown now. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  de: 'Deutsch',
  zh: '中文',
};

export const NAMESPACES = [
  'common',
  'auth',
  'shell',
  'settings',
  'customers',
  'customer',
  'orders',
  'dashboard',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

const STORAGE_KEY = 'cairn.language';

// English ships with the app (it is also the fallback); the other languages are separate chunks
// fetched only when someone picks them, so the sign-in screen does not carry five languages.
const english = import.meta.glob<ResourceLanguage>('../locales/en/*.json', { eager: true, import: 'default' });
const others = import.meta.glob<ResourceLanguage>(['../locales/*/*.json', '!../locales/en/*.json'], {
  import: 'default',
});

/** `../locales/de/shell.json` → ['de', 'shell'] */
function localeOf(path: string): [string, string] {
  const [, language, file] = path.match(/locales\/([^/]+)\/([^/]+)\.json$/) ?? [];
  return [language ?? '', file ?? ''];
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function namespacesOf(modules: Record<string, ResourceLanguage>): ResourceLanguage {
  return Object.fromEntries(Object.entries(modules).map(([path, bundle]) => [localeOf(path)[1], bundle]));
}

async function loadLanguage(language: Language): Promise<void> {
  if (language === 'en' || i18next.hasResourceBundle(language, 'common')) return;
  const loaders = Object.entries(others).filter(([path]) => localeOf(path)[0] === language);
  await Promise.all(
    loaders.map(async ([path, load]) => i18next.addResourceBundle(language, localeOf(path)[1], await load())),
  );
}

/** The language to start in before anyone signs in: the last one chosen here, else the browser's. */
export function preferredLanguage(
  stored: string | null = safeStorage()?.getItem(STORAGE_KEY) ?? null,
  browser: readonly string[] = navigator.languages,
): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Switches the UI language, loading it first so the screen never shows missing keys. */
export async function setLanguage(language: Language): Promise<void> {
  await loadLanguage(language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  safeStorage()?.setItem(STORAGE_KEY, language);
}

/**
 * Starts i18next. `resources` replaces the lazy loading (tests pass every language at once);
 * without it, English is bundled and `language` is fetched before the first render.
 */
export async function initI18n(language: Language = preferredLanguage(), resources?: Resource): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    ns: [...NAMESPACES],
    defaultNS: 'common',
    resources: resources ?? { en: namespacesOf(english) },
    // React escapes what it renders; escaping here too would show &amp; in the UI.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    returnNull: false,
  });
  await setLanguage(language);
}

export { i18next as i18n };
