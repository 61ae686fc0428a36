import { describe, expect, it } from 'vitest';

import { LANGUAGES } from '../i18n.tsx';

/** The portal's own translations (src/portal/locales): every language has every key, none empty. */
const files = import.meta.glob<Record<string, unknown>>('./*.json', { eager: true, import: 'default' });

function keysOf(messages: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keysOf(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

function valueAt(messages: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], messages);
}

describe('portal translations', () => {
  const english = files['./en.json'];
  const keys = keysOf(english).sort();

  it('exist for every language the portal offers', () => {
    expect(Object.keys(files).sort()).toEqual(LANGUAGES.map((language) => `./${language}.json`).sort());
  });

  it.each(LANGUAGES.filter((language) => language !== 'en'))('%s has the same keys as English', (language) => {
    expect(keysOf(files[`./${language}.json`]).sort()).toEqual(keys);
  });

  it.each([...LANGUAGES])('%s has no empty string and keeps every {{placeholder}}', (language) => {
    const messages = files[`./${language}.json`];
    for (const key of keys) {
      const text = valueAt(messages, key);
      expect(typeof text === 'string' && text.trim() !== '', `${language}: ${key}`).toBe(true);
      const wanted = (String(valueAt(english, key)).match(/\{\{\w+\}\}/g) ?? []).sort();
      expect((String(text).match(/\{\{\w+\}\}/g) ?? []).sort(), `${language}: ${key}`).toEqual(wanted);
    }
  });
});
