import { placeholders } from './render.ts';

export interface VariantText {
  language: string;
  subject: string;
  body_html: string;
  body_text: string;
}

export type LintIssue =
  | { kind: 'unknownVariable'; language: string; name: string }
  | { kind: 'missingVariable'; language: string; name: string }
  | { kind: 'missingVariant'; language: string; customers: number }
  | { kind: 'unsafeLink'; language: string; link: string };

const FIELDS = ['subject', 'body_html', 'body_text'] as const;

/** href / src values in HTML. */
function links(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src|action)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)].map((match) =>
    (match[1] ?? match[2] ?? match[3] ?? '').trim(),
  );
}

/**
 * A link a customer may safely be sent: https, mailto, tel, an in-page anchor, or a link variable
 * (`{{…_url}}`, which send-email accepts only as http(s)). Plain http (readable and changeable on
 * the way), javascript:, data: and relative links (they point nowhere in a mailbox) are not.
 */
export function isSafeLink(link: string): boolean {
  const value = link.trim();
  if (/^\{\{\s*[a-z0-9_.]*_url\s*\}\}$/i.test(value)) return true;
  return /^(https:\/\/[^\s/?#]|mailto:|tel:|#)/i.test(value);
}

/**
 * What a template's variants get wrong: variables the workspace does not know, variables one
 * variant uses and another forgets, languages its customers read with no variant (with how many
 * customers), and unsafe links.
 */
export function lintTemplate(
  variants: readonly VariantText[],
  knownVariables: readonly string[],
  customerLanguages: ReadonlyArray<{ language: string; customers: number }>,
): LintIssue[] {
  const issues: LintIssue[] = [];
  const known = new Set(knownVariables);
  const used = new Map<string, Set<string>>();
  for (const variant of variants) {
    const names = new Set(FIELDS.flatMap((field) => placeholders(variant[field])));
    used.set(variant.language, names);
    for (const name of names)
      if (!known.has(name)) issues.push({ kind: 'unknownVariable', language: variant.language, name });
    for (const link of links(variant.body_html)) {
      if (!isSafeLink(link)) issues.push({ kind: 'unsafeLink', language: variant.language, link });
    }
  }
  const everywhere = new Set([...used.values()].flatMap((names) => [...names]).filter((name) => known.has(name)));
  for (const variant of variants) {
    for (const name of everywhere) {
      if (!used.get(variant.language)?.has(name))
        issues.push({ kind: 'missingVariable', language: variant.language, name });
    }
  }
  const covered = new Set(variants.map((variant) => variant.language));
  for (const { language, customers } of customerLanguages) {
    if (customers > 0 && !covered.has(language)) issues.push({ kind: 'missingVariant', language, customers });
  }
  return issues;
}
