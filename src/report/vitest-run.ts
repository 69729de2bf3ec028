/**
 * Starts vitest programmatically on the conformance entry: one thread, the run options provided to the
 * worker, and three reporters (console, JUnit, Allure results). No vitest config file is read.
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import AllureVitestReporter from "allure-vitest/reporter";
import { type Reporter, startVitest } from "vitest/node";
import type { TextOut } from "../cli/io.ts";
import { allureResultFixer } from "./allure-status.ts";
import type { ConsoleReporter } from "./console-reporter.ts";
import { ENTRY_CONFIG_KEY, type EntryConfig } from "./entry-config.ts";
import { unfinishedAsSkipped } from "./unfinished-cases.ts";

/** Absolute path of the vitest entry file. */
export const ENTRY_FILE = fileURLToPath(new URL("./conformance.entry.ts", import.meta.url));

/** Most cases vitest lets run at once; the entry narrows this to the target's concurrency. */
const MAX_CONCURRENCY = 64;

export interface ConformanceVitestOptions {
  /** Package root: vitest's root, and the base of the include pattern. */
  readonly root: string;
  readonly entry: EntryConfig;
  /** Where vitest's JUnit reporter writes (the caller renames it into place once it is whole). */
  readonly junitFile: string;
  readonly allureResultsDir: string;
  readonly reporter: ConsoleReporter;
  /** Where vitest's own logger writes its errors. */
  readonly err: TextOut;
}

const writableOf = (out: TextOut): Writable =>
  new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out.write(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
      callback();
    },
  });

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/**
 * A reporter that only removes the SIGINT/SIGTERM listeners vitest's logger installs (they exit the
 * process at once); the CLI handles interruption itself so that finished cases are still reported.
 */
function signalKeeper(): Reporter {
  const signals = ["SIGINT", "SIGTERM"] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  return {
    onInit() {
      for (const signal of signals) {
        for (const listener of process.listeners(signal)) {
          if (!before.get(signal)?.has(listener)) process.off(signal, listener);
        }
      }
    },
  };
}

/** Runs the conformance entry under vitest and resolves when vitest has closed. */
export async function runConformanceVitest(options: ConformanceVitestOptions): Promise<void> {
  const { reporter } = options;
  const allure = new AllureVitestReporter({
    resultsDir: options.allureResultsDir,
    // The console reporter has seen every case by the time Allure writes its results (end of run).
    listeners: [
      allureResultFixer({
        target: options.entry.runOptions.targetName,
        outcomeOf: (name) => reporter.lines.find((line) => line.name === name)?.status,
      }),
    ],
  });
  const include = ENTRY_FILE.slice(options.root.length + 1)
    .split("\\")
    .join("/");
  await startVitest(
    "test",
    [],
    {
      root: options.root,
      config: false,
      watch: false,
      include: [include],
      pool: "threads",
      poolOptions: { threads: { singleThread: true } },
      maxConcurrency: options.entry.runOptions.concurrency ?? MAX_CONCURRENCY,
      testTimeout: 0,
      hookTimeout: 60_000,
      teardownTimeout: 10_000,
      passWithNoTests: false,
      cache: false,
      provide: { [ENTRY_CONFIG_KEY]: options.entry },
      reporters: [
        signalKeeper(),
        // First: JUnit and Allure must see unfinished cases as skipped, never as passed.
        unfinishedAsSkipped(),
        reporter,
        [
          "junit",
          {
            outputFile: options.junitFile,
            suiteName: "ishare-conformance",
            classnameTemplate: `ishare-conformance.${options.entry.runOptions.targetName}`,
          },
        ],
        allure,
      ],
    },
    { logLevel: "error", clearScreen: false },
    // vitest's own stdout says only "JUNIT report written to …"; errors still reach stderr.
    { stdout: discard(), stderr: writableOf(options.err) },
  );
}
