/**
 * axe-core on an element, its shadow roots included, in both colour schemes: once with
 * `theme="light"` and once with `theme="dark"` on the element, restoring the attribute afterwards.
 */
import 'axe-core/axe.js';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type Axe from 'axe-core';

declare global {
  interface Window {
    axe: typeof Axe;
  }
}

export type ColorScheme = 'light' | 'dark';

function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `    ${node.target.join(' ')}: ${node.failureSummary ?? ''}`).join('\n');
      return `  ${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help}\n${nodes}`;
    })
    .join('\n');
}

/** Runs axe on `element`; throws listing every violation. */
export async function expectNoAxeViolations(element: Element, options: RunOptions = {}): Promise<AxeResults> {
  const results = await window.axe.run(element, { resultTypes: ['violations'], ...options });
  if (results.violations.length > 0) {
    throw new Error(`axe found ${results.violations.length} violation(s):\n${describeViolations(results.violations)}`);
  }
  return results;
}

/** The element must pass axe with `theme="light"` and with `theme="dark"`. */
export async function expectAccessibleInBothThemes(
  element: HTMLElement & { updateComplete?: Promise<unknown> },
  schemes: readonly ColorScheme[] = ['light', 'dark'],
): Promise<void> {
  const original = element.getAttribute('theme');
  try {
    for (const scheme of schemes) {
      element.setAttribute('theme', scheme);
      await element.updateComplete;
      try {
        await expectNoAxeViolations(element);
      } catch (error) {
        throw new Error(`[theme=${scheme}] ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    if (original === null) element.removeAttribute('theme');
    else element.setAttribute('theme', original);
    await element.updateComplete;
  }
}
