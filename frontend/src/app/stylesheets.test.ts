import { describe, expect, it } from 'vitest';

// Every plain (global) stylesheet of the app, as text.
const sheets = import.meta.glob<string>(['../**/*.css', '!../**/*.module.css'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The classes a stylesheet styles: the first class of every selector (`.field textarea` → field). */
function classesStyledBy(css: string): Set<string> {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const selectors = [...withoutComments.matchAll(/([^{}]+)\{/g)].flatMap((match) =>
    (match[1] ?? '').split(',').map((selector) => selector.trim()),
  );
  return new Set(
    selectors.flatMap((selector) => {
      if (selector.startsWith('@')) return [];
      const first = /\.([a-zA-Z][\w-]*)/.exec(selector);
      return first?.[1] ? [first[1]] : [];
    }),
  );
}

describe('global stylesheets', () => {
  it('never style the same class in two files, so the order of visits cannot change a look', () => {
    const owners = new Map<string, string[]>();
    for (const [file, css] of Object.entries(sheets)) {
      for (const name of classesStyledBy(css)) owners.set(name, [...(owners.get(name) ?? []), file]);
    }
    const shared = [...owners]
      .filter(([, files]) => files.length > 1)
      .map(([name, files]) => `.${name}: ${files.join(', ')}`);
    expect(shared).toEqual([]);
  });
});
