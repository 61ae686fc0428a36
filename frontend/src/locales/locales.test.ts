import { describe, expect, it } from 'vitest';

import { LANGUAGES, NAMESPACES } from '@/lib/i18n.ts';

type Tree = { [key: string]: string | Tree };

const modules = import.meta.glob<Tree>('./*/*.json', { eager: true, import: 'default' });

function bundle(language: string, namespace: string): Tree | undefined {
  return modules[`./${language}/${namespace}.json`];
}

/** Every leaf as "a.b.c" → its text. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') leaves.set(path, value);
    else for (const [leaf, text] of flatten(value, path)) leaves.set(leaf, text);
  }
  return leaves;
}

const placeholders = (text: string) => [...text.matchAll(/{{\s*([\w.]+)\s*}}/g)].map((match) => match[1]).sort();

/** Differences between English and another language, as readable lines (empty when they agree). */
export function compareWithEnglish(english: Tree, other: Tree): string[] {
  const source = flatten(english);
  const target = flatten(other);
  const problems: string[] = [];
  for (const [key, text] of source) {
    const translated = target.get(key);
    if (translated === undefined) problems.push(`missing ${key}`);
    else if (translated.trim() === '') problems.push(`empty ${key}`);
    else if (placeholders(translated).join() !== placeholders(text).join())
      problems.push(`placeholders differ in ${key}: {{${placeholders(text).join('}} {{')}}} vs "${translated}"`);
  }
  for (const key of target.keys()) if (!source.has(key)) problems.push(`extra ${key}`);
  return problems;
}

describe('translations', () => {
  it('has exactly one file per language and namespace', () => {
    const expected = LANGUAGES.flatMap((language) => NAMESPACES.map((ns) => `./${language}/${ns}.json`)).sort();
    expect(Object.keys(modules).sort()).toEqual(expected);
  });

  for (const language of LANGUAGES.filter((code) => code !== 'en')) {
    for (const namespace of NAMESPACES) {
      it(`${language}/${namespace} has every English key with the same placeholders`, () => {
        const english = bundle('en', namespace);
        const other = bundle(language, namespace);
        expect(english, `en/${namespace}.json`).toBeDefined();
        expect(other, `${language}/${namespace}.json`).toBeDefined();
        expect(compareWithEnglish(english ?? {}, other ?? {})).toEqual([]);
      });

      it(`${language}/${namespace} is translated, not a copy of English`, () => {
        const english = flatten(bundle('en', namespace) ?? {});
        const other = flatten(bundle(language, namespace) ?? {});
        const same = [...english].filter(([key, text]) => other.get(key) === text && /[a-z]{4,}/i.test(text));
        // Loanwords ("Pipeline", "Segments", "Notifications", "Agent") legitimately match a few strings.
        expect(same.length / english.size).toBeLessThan(0.1);
      });
    }
  }

  it('catches a missing key and a renamed placeholder (the check itself works)', () => {
    const english: Tree = { a: 'Hello {{name}}', nested: { b: 'Bye' } };
    expect(compareWithEnglish(english, { a: 'Hola {{name}}', nested: { b: 'Adiós' } })).toEqual([]);
    expect(compareWithEnglish(english, { a: 'Hola {{nombre}}', nested: {} })).toEqual([
      'placeholders differ in a: {{name}} vs "Hola {{nombre}}"',
      'missing nested.b',
    ]);
    expect(compareWithEnglish(english, { a: 'Hola {{name}}', nested: { b: 'Adiós', c: 'x' } })).toEqual([
      'extra nested.c',
    ]);
  });
});
