import type { Reporter, TestModule } from "vitest/node";

/** Prints one plain `N passed, N failed, N skipped` line at the end of a run, for CI logs. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let failedInModule = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedInModule++;
        else skipped++;
      }
      // A module that failed outside any test (an import error, a failing beforeAll hook) counts once,
      // so a run that exits non-zero never prints "0 failed".
      if (module.state() === "failed" && failedInModule === 0) failedInModule = 1;
      failed += failedInModule;
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
