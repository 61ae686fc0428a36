/** axe-core in the page under test: the accessibility rules a browser extension would run. */
import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Serious and critical violations on the page as it is now (empty when there are none). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Expressions as strings: they run in the page, and the scripts' TypeScript has no DOM types.
  if (!(await page.evaluate<boolean>("typeof window.axe !== 'undefined'"))) {
    await page.addScriptTag({ content: axe.source });
  }
  const violations = await page.evaluate<AxeViolation[]>(`
    axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? null,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      })),
    )
  `);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
