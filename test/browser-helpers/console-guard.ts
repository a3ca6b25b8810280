/**
 * Console guard for browser suites. web-test-runner.config.mjs records every console.warn and
 * console.error from page start (before Lit loads); importing this module adds root hooks that fail
 * any test during which one was written (Lit dev-mode warnings included), and helpers for an
 * explicit per-element check.
 */

export interface ConsoleRecord {
  readonly level: 'warn' | 'error';
  readonly message: string;
}

declare global {
  var __parleyConsole: ConsoleRecord[] | undefined;
  var litIssuedWarnings: Set<string | undefined> | undefined;
}

function records(): ConsoleRecord[] {
  globalThis.__parleyConsole ??= [];
  return globalThis.__parleyConsole;
}

/**
 * Lit issues each dev-mode warning once per page; forgetting them lets a later test see a warning
 * an earlier test already triggered. The "Lit is in dev mode" notice stays silenced.
 */
export function resetLitWarnings(): void {
  globalThis.litIssuedWarnings = new Set(['dev-mode']);
}

/** Runs `fn` and returns the console warnings and errors written meanwhile. */
export async function collectConsoleOutput(fn: () => Promise<unknown>): Promise<ConsoleRecord[]> {
  resetLitWarnings();
  const start = records().length;
  await fn();
  return records().slice(start);
}

beforeEach(() => {
  records().length = 0;
  resetLitWarnings();
});

afterEach(() => {
  const written = records().splice(0);
  if (written.length > 0) {
    throw new Error(`console output during the test:\n${written.map((r) => `  console.${r.level}: ${r.message}`).join('\n')}`);
  }
});
