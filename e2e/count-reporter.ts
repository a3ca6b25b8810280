import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints `e2e: N passed, N failed` last, for .ci/run's closing line (a final retry's result counts). */
export default class CountReporter implements Reporter {
  readonly #outcomes = new Map<TestCase, TestResult['status']>();
  #errors = 0;

  onTestEnd(test: TestCase, result: TestResult): void {
    this.#outcomes.set(test, result.status);
  }

  onError(): void {
    this.#errors += 1;
  }

  onEnd(result: FullResult): void {
    let passed = 0;
    let failed = 0;
    for (const status of this.#outcomes.values()) {
      if (status === 'passed') passed += 1;
      else if (status !== 'skipped') failed += 1;
    }
    // A setup that failed before any test ran must not read as "0 failed".
    if (failed === 0 && (this.#errors > 0 || result.status !== 'passed')) failed += 1;
    process.stdout.write(`\ne2e: ${passed} passed, ${failed} failed\n`);
  }
}
