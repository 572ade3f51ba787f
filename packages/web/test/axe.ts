import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The WCAG 2.1 levels A and AA rules; axe's best-practice rules are advice, not failures. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  readonly rule: string;
  readonly impact: string;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * Runs axe-core in the page as it stands and returns its WCAG A/AA violations. The engine is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
 * govern, so the console's strict script-src needs no exception for the test.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    // Runs in the page; the test's tsconfig has no DOM types, hence globalThis (the window).
    const engine = (globalThis as unknown as { axe: typeof axe }).axe;
    const result = await engine.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  }, WCAG_AA);
}

/** One line per violation, for an assertion message a developer can act on. */
export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((violation) => `${violation.impact} ${violation.rule}: ${violation.help} (${violation.targets.join(', ')})`).join('\n');
}
