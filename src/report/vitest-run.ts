/**
 * Starts vitest programmatically on the conformance entry: one thread, the run options provided to the
 * worker, and the console reporter (JUnit and Allure results are written from results.jsonl afterwards).
 * No vitest config file is read.
 */
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type Reporter, startVitest } from "vitest/node";
import type { TextOut } from "../cli/io.ts";
import type { ConsoleReporter } from "./console-reporter.ts";
import { ENTRY_CONFIG_KEY, type EntryConfig, entryTargets } from "./entry-config.ts";
import { unfinishedAsSkipped } from "./unfinished-cases.ts";

/** Absolute path of the vitest entry file. */
export const ENTRY_FILE = fileURLToPath(new URL("./conformance.entry.ts", import.meta.url));

/** Most cases vitest lets run at once; the entry narrows this to the target's concurrency. */
const MAX_CONCURRENCY = 64;

export interface ConformanceVitestOptions {
  /** Package root: vitest's root, and the base of the include pattern. */
  readonly root: string;
  readonly entry: EntryConfig;
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

/** The package's own modules but the entry: loaded natively (through tsx) in the worker. */
export function nativeModules(root: string): RegExp {
  const src = `${root.split("\\").join("/")}/src/`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${src}(?!report/conformance\\.entry\\.ts$)`);
}

/** Runs the conformance entry under vitest and resolves when vitest has closed. */
export async function runConformanceVitest(options: ConformanceVitestOptions): Promise<void> {
  const { reporter } = options;
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
      // Each target narrows this to its own concurrency; several targets run side by side.
      maxConcurrency:
        (options.entry.runOptions.concurrency ?? MAX_CONCURRENCY) * entryTargets(options.entry).length,
      testTimeout: 0,
      hookTimeout: 60_000,
      teardownTimeout: 10_000,
      passWithNoTests: false,
      cache: false,
      // Everything but the entry loads natively through tsx (registered in the worker, with its disk cache)
      // instead of being transformed again by vite on every run.
      server: { deps: { external: [nativeModules(options.root)] } },
      provide: { [ENTRY_CONFIG_KEY]: options.entry },
      // First: unfinished cases read as skipped, never as passed.
      reporters: [signalKeeper(), unfinishedAsSkipped(), reporter],
    },
    { logLevel: "error", clearScreen: false },
    // vitest's own stdout is not ours to print; errors still reach stderr.
    { stdout: discard(), stderr: writableOf(options.err) },
  );
}
