import i18next, { type BackendModule, type Resource, type ResourceLanguage } from 'i18next';
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
  'consent',
  'pipeline',
  'notifications',
  'tasks',
  'messages',
  'inbox',
  'templates',
  'segments',
  'analytics',
  'integrations',
  'portal',
  'automation',
  'campaigns',
  'fulfilments',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

/**
 * What the first screen (sign-in, or the app's loading state) needs. Their English strings ship
 * inside the app's entry chunk; every other namespace, and every other language, is a separate
 * chunk fetched when a route or a language needs it — the sign-in page has a JavaScript budget
 * (≤ 200 KB gzip), and each screen's strings belong with that screen.
 */
const STARTUP_NAMESPACES: readonly Namespace[] = ['common', 'auth'];

const STORAGE_KEY = 'cairn.language';

const bundled = import.meta.glob<ResourceLanguage>(['../locales/en/common.json', '../locales/en/auth.json'], {
  eager: true,
  import: 'default',
});
const fetched = import.meta.glob<ResourceLanguage>(
  ['../locales/*/*.json', '!../locales/en/common.json', '!../locales/en/auth.json'],
  { import: 'default' },
);

/** An i18next backend over the chunks above: i18next asks for (language, namespace) pairs. */
const chunkBackend: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, callback) {
    const load = fetched[`../locales/${language}/${namespace}.json`];
    if (!load) return callback(new Error(`no translations for ${language}/${namespace}`), false);
    load().then(
      (bundle) => callback(null, bundle),
      (error: Error) => callback(error, false),
    );
  },
};

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

/**
 * Switches the UI language. i18next fetches that language's copy of every namespace loaded so far
 * before it switches, so the screen never shows missing keys.
 */
export async function setLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
  safeStorage()?.setItem(STORAGE_KEY, language);
}

/**
 * Loads a screen's namespaces (in the current language and English); routes call it with their
 * chunk. Called before i18next has started (a page preloaded at boot), it waits for the start.
 */
export async function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  if (!namespaces.length) return;
  if (!i18next.isInitialized) await new Promise((resolve) => i18next.on('initialized', resolve));
  await i18next.loadNamespaces([...namespaces]);
}

/**
 * Starts i18next. `resources` (tests pass every language at once) are used as they are; without
 * them, the start-up namespaces are bundled in English and `language` is fetched before the first
 * render.
 */
export async function initI18n(language: Language = preferredLanguage(), resources?: Resource): Promise<void> {
  await i18next
    .use(chunkBackend)
    .use(initReactI18next)
    .init({
      lng: 'en',
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      ns: resources ? [...NAMESPACES] : [...STARTUP_NAMESPACES],
      defaultNS: 'common',
      resources: resources ?? { en: namespacesOf(bundled) },
      // The bundled resources are a start, not everything: the backend fetches the rest.
      partialBundledLanguages: true,
      // React escapes what it renders; escaping here too would show &amp; in the UI.
      interpolation: { escapeValue: false },
      react: { useSuspense: false },
      returnNull: false,
    });
  await setLanguage(language);
}

export { i18next as i18n };
