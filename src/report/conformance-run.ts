/**
 * One conformance run end to end, after the options were validated: vitest on the entry, then
 * summary.json from results.jsonl, then the Allure HTML. Output folder layout:
 * results.jsonl, run.json, junit.xml, summary.json, allure-results/, allure-report/index.html.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { TextOut } from "../cli/io.ts";
import { generateAllureReport } from "./allure-generate.ts";
import { moveIntoPlace, partialPath, writeFileAtomic } from "./atomic-file.ts";
import { ConsoleReporter, type RunProblem } from "./console-reporter.ts";
import type { EntryRunOptions, RunInfo } from "./entry-config.ts";
import { newInterruptChannelName, sendInterrupt } from "./interrupt-channel.ts";
import { RESULTS_FILE_NAME, readCaseResults } from "./results-file.ts";
import { buildSummary, formatSummary, type RunSummary } from "./summary.ts";
import { runConformanceVitest } from "./vitest-run.ts";

/** Files and folders a run writes under its output folder. */
export function outputPaths(outDir: string) {
  return {
    results: join(outDir, RESULTS_FILE_NAME),
    runInfo: join(outDir, "run.json"),
    junit: join(outDir, "junit.xml"),
    summary: join(outDir, "summary.json"),
    allureResults: join(outDir, "allure-results"),
    allureReport: join(outDir, "allure-report"),
  };
}

export interface ConformanceRunRequest {
  /** Package root (vitest root). */
  readonly root: string;
  readonly runOptions: EntryRunOptions;
  /** Absolute output folder. */
  readonly outDir: string;
  /** Module exporting prepareRun. */
  readonly engineModule: string;
  readonly out: TextOut;
  readonly err: TextOut;
  readonly colour: boolean;
  /** Aborting stops the run (cases under way finish); the HTML report is then not generated. */
  readonly signal?: AbortSignal;
  /** Start time, injectable for tests. */
  readonly now?: () => Date;
  /** The HTML generator (default: Allure's CLI), injectable for tests. */
  readonly html?: typeof generateAllureReport;
}

export interface ConformanceRunOutcome {
  readonly summary: RunSummary;
  /** Errors outside any case (entry failed to load, hook errors, cases that never finished). */
  readonly problems: readonly RunProblem[];
  readonly interrupted: boolean;
  readonly paths: ReturnType<typeof outputPaths>;
  /** index.html when generated. */
  readonly htmlReport?: string;
  /** Why the HTML report is missing, when it is. */
  readonly htmlProblem?: string;
}

async function readRunInfo(file: string): Promise<RunInfo | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as RunInfo;
  } catch {
    return undefined;
  }
}

/** A JUnit file with no test: what an interrupt before the first case leaves, so CI still finds one. */
const EMPTY_JUNIT =
  '<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="ishare-conformance" tests="0" failures="0" errors="0" time="0">\n</testsuites>\n';

/**
 * Runs the cases and writes every report; never throws for a target's or a case's trouble. Every report is
 * written atomically (whole, then renamed into place). An interrupt in any phase (before the cases, during
 * them, during the HTML generation) ends the run as interrupted with what finished written.
 */
export async function runConformance(request: ConformanceRunRequest): Promise<ConformanceRunOutcome> {
  const paths = outputPaths(request.outDir);
  await mkdir(request.outDir, { recursive: true });
  for (const stale of [
    paths.allureResults,
    paths.allureReport,
    partialPath(paths.allureReport),
    paths.results,
    paths.runInfo,
    paths.summary,
    paths.junit,
    partialPath(paths.junit),
  ]) {
    await rm(stale, { recursive: true, force: true });
  }
  await mkdir(paths.allureResults, { recursive: true });

  const startedAt = (request.now ?? (() => new Date()))();
  const started = performance.now();
  const reporter = new ConsoleReporter({ out: request.out, err: request.err, colour: request.colour });
  let interrupted = request.signal?.aborted ?? false;
  const interruptChannel = newInterruptChannelName();
  let vitestRunning = false;
  const onAbort = (): void => {
    interrupted = true;
    if (!vitestRunning) return;
    sendInterrupt(interruptChannel);
    void reporter.cancel();
  };
  request.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await runAndReport(request, paths, reporter, interruptChannel, startedAt, started, {
      interrupted: () => interrupted,
      vitest: (running) => {
        vitestRunning = running;
      },
    });
  } finally {
    request.signal?.removeEventListener("abort", onAbort);
  }
}

interface RunState {
  /** Whether an interrupt has come (so far). */
  interrupted(): boolean;
  /** Tells the interrupt handler whether vitest is running (an interrupt then cancels it). */
  vitest(running: boolean): void;
}

async function runAndReport(
  request: ConformanceRunRequest,
  paths: ReturnType<typeof outputPaths>,
  reporter: ConsoleReporter,
  interruptChannel: string,
  startedAt: Date,
  started: number,
  state: RunState,
): Promise<ConformanceRunOutcome> {
  const problems: RunProblem[] = [];
  const ranVitest = !state.interrupted();
  if (ranVitest) {
    const exitCodeBefore = process.exitCode;
    state.vitest(true);
    try {
      await runConformanceVitest({
        root: request.root,
        entry: {
          runOptions: request.runOptions,
          resultsFile: paths.results,
          runInfoFile: paths.runInfo,
          engineModule: request.engineModule,
          interruptChannel,
        },
        junitFile: partialPath(paths.junit),
        allureResultsDir: paths.allureResults,
        reporter,
        err: request.err,
      });
    } catch (error) {
      problems.push({
        where: "starting vitest",
        name: error instanceof Error ? error.name : "Error",
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      state.vitest(false);
      // vitest sets process.exitCode on failures; the CLI decides the exit code itself.
      process.exitCode = exitCodeBefore;
    }
    problems.push(...reporter.problems);
    if (reporter.endReason === undefined && problems.length === 0 && !state.interrupted()) {
      problems.push({
        where: "vitest",
        name: "Error",
        message: "vitest ended without running the conformance entry",
      });
    }
  }
  // vitest's JUnit reporter writes as it goes: the file is moved into place only once vitest closed it.
  if (existsSync(partialPath(paths.junit))) await moveIntoPlace(partialPath(paths.junit), paths.junit);
  else await writeFileAtomic(paths.junit, EMPTY_JUNIT);

  const results = await readCaseResults(paths.results);
  const info = await readRunInfo(paths.runInfo);
  const notices = [...(info?.notices ?? [])];
  if (!ranVitest) notices.push("interrupted before any case ran");
  if (info && results.length < info.plannedCases) {
    const missing = `${info.plannedCases - results.length} of ${info.plannedCases} cases did not finish`;
    if (state.interrupted()) notices.push(`interrupted: ${missing}`);
    else problems.push({ where: "run", name: "Error", message: missing });
  } else if (!info && ranVitest && state.interrupted()) {
    notices.push("interrupted before any case ran");
  }
  const summary = buildSummary({
    target: info?.target ?? request.runOptions.targetName,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    results,
    notices,
  });
  // Written whole, then renamed into place: a reader (or a second Ctrl-C) never sees half a summary.
  await writeFileAtomic(paths.summary, formatSummary(summary));

  const interrupted = state.interrupted();
  if (interrupted) {
    return { summary, problems, interrupted, paths, htmlProblem: "not generated (run interrupted)" };
  }
  if (results.length === 0 && problems.length > 0) {
    return { summary, problems, interrupted, paths, htmlProblem: "not generated (no case ran)" };
  }
  try {
    // Generated beside the old place and moved in whole: an interrupt leaves no half report.
    const staging = partialPath(paths.allureReport);
    await (request.html ?? generateAllureReport)({
      resultsDir: paths.allureResults,
      reportDir: staging,
      reportName: `iSHARE conformance — ${summary.target}`,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    if (state.interrupted()) throw new Error("interrupted");
    await moveIntoPlace(staging, paths.allureReport);
    return { summary, problems, interrupted, paths, htmlReport: join(paths.allureReport, "index.html") };
  } catch (error) {
    if (state.interrupted()) {
      await rm(partialPath(paths.allureReport), { recursive: true, force: true });
      return { summary, problems, interrupted: true, paths, htmlProblem: "not generated (run interrupted)" };
    }
    return { summary, problems, interrupted, paths, htmlProblem: (error as Error).message };
  }
}
