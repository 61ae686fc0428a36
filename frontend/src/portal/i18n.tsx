/**
 * The portal's translations: one JSON file per language in ./locales, fetched as its own chunk
 * (English is bundled as the fallback). A few lines instead of i18next, for the first-load budget.
 */
import { createContext, useContext, type ReactNode } from 'react';

import en from './locales/en.json';

export const LANGUAGES = ['en', 'de', 'fr', 'es', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  zh: '中文',
};

type Messages = Record<string, unknown>;
const loaders = import.meta.glob<Messages>(['./locales/*.json', '!./locales/en.json'], { import: 'default' });
const STORAGE_KEY = 'cairn.portal.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function preferredLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage may be blocked; the browser's language still applies.
  }
  for (const tag of navigator.languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export async function loadMessages(language: Language): Promise<Messages> {
  if (language === 'en') return en;
  const load = loaders[`./locales/${language}.json`];
  return load ? load() : en;
}

export function rememberLanguage(language: Language): void {
  document.documentElement.lang = language;
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered across visits; nothing else changes.
  }
}

function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Messages)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export type Translate = (key: string, values?: Record<string, string | number>) => string;

export function translator(messages: Messages): Translate {
  return (key, values) => {
    const text = lookup(messages, key) ?? lookup(en, key) ?? key;
    return values ? text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? '')) : text;
  };
}

interface I18n {
  language: Language;
  t: Translate;
  setLanguage(language: Language): void;
}

const I18nContext = createContext<I18n>({ language: 'en', t: translator(en), setLanguage: () => undefined });

export function I18nProvider({ value, children }: { value: I18n; children: ReactNode }) {
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
