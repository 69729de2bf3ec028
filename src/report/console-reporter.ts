/** The vitest reporter behind the CLI's console output: one line per finished case, nothing else from vitest. */
import type { Reporter, SerializedError, TestCase, TestModule, Vitest } from "vitest/node";
import type { TextOut } from "../cli/io.ts";
import { readCaseMeta } from "./case-meta.ts";
import { type CaseLine, formatCaseLine, formatProgress } from "./format.ts";
import { createStyle, type Style } from "./style.ts";

/** An error vitest met outside any case: the entry failed to load, a hook threw, an unhandled rejection. */
export interface RunProblem {
  readonly where: string;
  readonly name: string;
  readonly message: string;
  /** The harness error code when the error was one of ours (CONFIG, KEY, ...). */
  readonly code?: string;
}

export interface ConsoleReporterOptions {
  readonly out: TextOut;
  readonly err: TextOut;
  readonly colour: boolean;
  /** Name the target on each line (a run with several targets). */
  readonly showTarget?: boolean;
}

/** Turns a vitest test case into its console line; undefined for cases vitest skipped without running. */
export function caseLineOf(testCase: TestCase): CaseLine | undefined {
  const result = testCase.result();
  const meta = readCaseMeta(testCase.meta());
  const durationMs = meta?.durationMs ?? testCase.diagnostic()?.duration ?? 0;
  if (result.state === "pending") return undefined;
  if (meta && !(result.state === "failed" && meta.status === "passed")) {
    return {
      status: meta.status,
      ...(meta.target !== undefined ? { target: meta.target } : {}),
      name: testCase.name,
      durationMs,
      message: meta.message,
      warnings: meta.warnings,
    };
  }
  switch (result.state) {
    case "passed":
      return { status: "passed", name: testCase.name, durationMs, message: "", warnings: [] };
    case "skipped":
      // Skipped by vitest itself (run cancelled): not a case outcome.
      return undefined;
    case "failed": {
      // The harness around runCase threw: our fault, never the target's.
      const message = result.errors.map((error) => `${error.name ?? "Error"}: ${error.message}`).join("; ");
      return { status: "broken", name: testCase.name, durationMs, message, warnings: [] };
    }
  }
}

const problemOf = (where: string, error: SerializedError): RunProblem => {
  const code = (error as { code?: unknown }).code;
  return {
    where,
    name: typeof error.name === "string" ? error.name : "Error",
    message: typeof error.message === "string" ? error.message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
};

/** Prints finished cases as they come and collects what went wrong outside the cases. */
export class ConsoleReporter implements Reporter {
  readonly lines: CaseLine[] = [];
  readonly problems: RunProblem[] = [];
  /** Set once vitest reported the end of the run. */
  endReason: "passed" | "failed" | "interrupted" | undefined;
  private vitest: Vitest | undefined;
  private readonly style: Style;
  /** Cases collected so far (every case of the run once the entry has loaded). */
  private planned = 0;

  constructor(private readonly options: ConsoleReporterOptions) {
    this.style = createStyle(options.colour);
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestModuleCollected(testModule: TestModule): void {
    this.planned += [...testModule.children.allTests()].length;
  }

  onTestCaseResult(testCase: TestCase): void {
    const found = caseLineOf(testCase);
    if (!found) return;
    const { target, ...rest } = found;
    const line: CaseLine = this.options.showTarget && target !== undefined ? found : rest;
    this.lines.push(line);
    const progress = this.style.dim(
      formatProgress(this.lines.length, Math.max(this.planned, this.lines.length)),
    );
    this.options.out.write(`${progress} ${formatCaseLine(line, this.style)}\n`);
  }

  onUserConsoleLog(log: { content: string }): void {
    // Output from harness code in the worker is unexpected; pass it on rather than lose it.
    this.options.err.write(log.content);
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: "passed" | "failed" | "interrupted",
  ): void {
    this.endReason = reason;
    for (const testModule of testModules) {
      for (const error of testModule.errors())
        this.problems.push(problemOf("loading the conformance run", error));
    }
    for (const error of unhandledErrors) this.problems.push(problemOf("unhandled error", error));
  }

  /** Stops the run: cases not started are dropped, running ones finish. */
  async cancel(): Promise<void> {
    await this.vitest?.cancelCurrentRun("keyboard-input");
  }
}
