/**
 * One conformance run end to end, after the options were validated: vitest on the entry, then
 * summary.json from results.jsonl, then the Allure HTML. Output folder layout:
 * results.jsonl, run.json, junit.xml, summary.json, allure-results/, allure-report/index.html.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { TextOut } from "../cli/io.ts";
import { generateAllureReport } from "./allure-generate.ts";
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

/** Runs the cases and writes every report; never throws for a target's or a case's trouble. */
export async function runConformance(request: ConformanceRunRequest): Promise<ConformanceRunOutcome> {
  const paths = outputPaths(request.outDir);
  await mkdir(request.outDir, { recursive: true });
  for (const stale of [
    paths.allureResults,
    paths.allureReport,
    paths.results,
    paths.runInfo,
    paths.summary,
  ]) {
    await rm(stale, { recursive: true, force: true });
  }
  await mkdir(paths.allureResults, { recursive: true });

  const startedAt = (request.now ?? (() => new Date()))();
  const started = performance.now();
  const reporter = new ConsoleReporter({ out: request.out, err: request.err, colour: request.colour });
  let interrupted = request.signal?.aborted ?? false;
  const interruptChannel = newInterruptChannelName();
  const onAbort = (): void => {
    interrupted = true;
    sendInterrupt(interruptChannel);
    void reporter.cancel();
  };
  request.signal?.addEventListener("abort", onAbort, { once: true });

  const problems: RunProblem[] = [];
  const exitCodeBefore = process.exitCode;
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
      junitFile: paths.junit,
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
    request.signal?.removeEventListener("abort", onAbort);
    // vitest sets process.exitCode on failures; the CLI decides the exit code itself.
    process.exitCode = exitCodeBefore;
  }
  problems.push(...reporter.problems);
  if (reporter.endReason === "interrupted") interrupted = true;
  if (reporter.endReason === undefined && problems.length === 0) {
    problems.push({
      where: "vitest",
      name: "Error",
      message: "vitest ended without running the conformance entry",
    });
  }

  const results = await readCaseResults(paths.results);
  const info = await readRunInfo(paths.runInfo);
  const notices = [...(info?.notices ?? [])];
  if (info && results.length < info.plannedCases) {
    const missing = `${info.plannedCases - results.length} of ${info.plannedCases} cases did not finish`;
    if (interrupted) notices.push(`interrupted: ${missing}`);
    else problems.push({ where: "run", name: "Error", message: missing });
  }
  const summary = buildSummary({
    target: info?.target ?? request.runOptions.targetName,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    results,
    notices,
  });
  // Written whole, then renamed into place: a reader (or a second Ctrl-C) never sees half a summary.
  await writeFile(`${paths.summary}.tmp`, formatSummary(summary), "utf8");
  await rename(`${paths.summary}.tmp`, paths.summary);

  if (interrupted) {
    return { summary, problems, interrupted, paths, htmlProblem: "not generated (run interrupted)" };
  }
  if (results.length === 0 && problems.length > 0) {
    return { summary, problems, interrupted, paths, htmlProblem: "not generated (no case ran)" };
  }
  try {
    const htmlReport = await generateAllureReport({
      resultsDir: paths.allureResults,
      reportDir: paths.allureReport,
      reportName: `iSHARE conformance — ${summary.target}`,
    });
    return { summary, problems, interrupted, paths, htmlReport };
  } catch (error) {
    return { summary, problems, interrupted, paths, htmlProblem: (error as Error).message };
  }
}
