/**
 * Prints the slowest test files (where CI time goes) and one closing line `N passed, N failed, N skipped`
 * that CI systems read, after vitest's own summary.
 */
import { writeSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (module.state() === "failed" && module.children.size === 0) failed++;
    }
    const slowest = [...modules]
      .map((module) => ({ file: module.moduleId, ms: module.diagnostic().duration }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10)
      .map(
        ({ file, ms }) =>
          `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file.replace(process.cwd() + "/", "")}`,
      );
    // Written at exit so it stays the last line, after vitest's own summary.
    const line = `\nslowest test files:\n${slowest.join("\n")}\n\n${passed} passed, ${failed} failed, ${skipped} skipped\n`;
    process.once("exit", () => writeSync(1, line));
  }
}
