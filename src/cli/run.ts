/** `run`: validates the options, runs the cases under vitest, writes the reports and maps the outcome to an exit code. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "../errors.ts";
import type { ConformanceRunOutcome, EntryRunOptions, RunProblem } from "../report/index.ts";
import {
  durationOption,
  integerOption,
  listOption,
  noPositionals,
  parseCommand,
  usageError,
} from "./args.ts";
import type { Command } from "./command.ts";
import { EXIT } from "./exit-codes.ts";
import { listenForInterrupt } from "./interrupt.ts";
import { type CliIo, useColour } from "./io.ts";
import { assertOutputFolder } from "./out-dir.ts";
import { ENGINE_MODULE, PACKAGE_ROOT, packageVersion } from "./package-info.ts";
import { displayPath } from "./pki.ts";
import { needsBuiltinPki, prefetchTestPki } from "./pki-prefetch.ts";

const CONFIG_CODES: readonly string[] = ["USAGE", "CONFIG", "SUITE", "KEY", "CERTIFICATE"];

/** A problem caused by the user's input (exit 2) rather than by the harness. */
export const isConfigProblem = (problem: RunProblem): boolean =>
  problem.name === "ConfigError" || (problem.code !== undefined && CONFIG_CODES.includes(problem.code));

/** 130 interrupted; 2 configuration problem; 1 any other problem, a failed or broken case, or no case run; else 0. */
export function exitCodeFor(
  outcome: Pick<ConformanceRunOutcome, "interrupted" | "problems" | "summary">,
): number {
  if (outcome.interrupted) return EXIT.interrupted;
  if (outcome.problems.some(isConfigProblem)) return EXIT.usage;
  if (outcome.problems.length > 0) return EXIT.failed;
  const { totals } = outcome.summary;
  if (totals.failed + totals.broken > 0) return EXIT.failed;
  return outcome.summary.cases.length === 0 ? EXIT.failed : EXIT.ok;
}

export interface ConductRunRequest {
  readonly runOptions: EntryRunOptions;
  /** Several targets in one run (`--target a,b`, `--all`); default `runOptions.targetName`. */
  readonly targets?: readonly string[];
  /** Skip the HTML report (`--no-html`). */
  readonly noHtml?: boolean;
  readonly outDir: string;
  /** Module exporting prepareRun (default: the engine). */
  readonly engineModule?: string;
  /** First line printed, e.g. `44 cases against "reference"`. */
  readonly heading: string;
  readonly io: CliIo;
}

/** Runs, prints the per-case lines, totals, notices and report paths, and returns the exit code. */
export async function conductRun(request: ConductRunRequest): Promise<number> {
  const { io } = request;
  const colour = useColour(io.stdout, io.env);
  const { createStyle, formatRecap, formatTargetTotals, formatTotalsTable, runConformance } = await import(
    "../report/index.ts"
  );
  const style = createStyle(colour);
  io.stdout.write(`${style.bold(`ishare-conformance ${packageVersion()}`)}: ${request.heading}\n\n`);
  const interrupt = listenForInterrupt(io);
  let outcome: ConformanceRunOutcome;
  try {
    outcome = await runConformance({
      root: PACKAGE_ROOT,
      runOptions: request.runOptions,
      ...(request.targets ? { targets: request.targets } : {}),
      ...(request.noHtml ? { noHtml: true } : {}),
      outDir: request.outDir,
      engineModule: request.engineModule ?? ENGINE_MODULE,
      out: io.stdout,
      err: io.stderr,
      colour,
      signal: interrupt.signal,
    });
  } finally {
    interrupt.dispose();
  }

  const { summary, problems, paths } = outcome;
  const configProblems = problems.filter(isConfigProblem);
  for (const problem of configProblems) io.stderr.write(`ishare-conformance: ${problem.message}\n`);
  if (configProblems.length > 0) return EXIT.usage;
  for (const problem of problems) {
    io.stderr.write(`ishare-conformance: ${problem.where}: ${problem.name}: ${problem.message}\n`);
  }

  io.stdout.write("\n");
  const several = summary.targets.length > 1;
  const recap = formatRecap(summary.cases, several, style);
  for (const line of recap) io.stdout.write(`${line}\n`);
  if (recap.length > 0) io.stdout.write("\n");
  if (several) {
    for (const line of formatTargetTotals(summary.targets, style)) io.stdout.write(`${line}\n`);
    io.stdout.write("\n");
  }
  for (const line of formatTotalsTable(summary.totals, summary.durationMs, style))
    io.stdout.write(`${line}\n`);
  for (const notice of summary.notices) io.stdout.write(`${style.broken("notice:")} ${notice}\n`);
  const where = (path: string): string => displayPath(io.cwd, path);
  io.stdout.write("\nReports:\n");
  if (outcome.htmlReport) io.stdout.write(`  html     ${where(outcome.htmlReport)}\n`);
  io.stdout.write(`  junit    ${where(paths.junit)}\n  summary  ${where(paths.summary)}\n`);
  if (summary.cases.length > 0) io.stdout.write(`  results  ${where(paths.results)}\n`);
  if (outcome.htmlProblem) {
    io.stderr.write(`ishare-conformance: warning: HTML report ${outcome.htmlProblem}\n`);
    if (!outcome.interrupted)
      io.stderr.write(`  retry with: ishare-conformance report --out ${where(request.outDir)}\n`);
  }
  return exitCodeFor(outcome);
}

export const runCommand: Command = {
  name: "run",
  summary: "Run the conformance cases against a target and write the reports",
  usage: `Usage: ishare-conformance run [options]

Runs the cases that apply to each target and writes, under the output folder: allure-report/index.html
(one self-contained file), junit.xml, summary.json, results.jsonl (one line per case, written as each case
finishes) and allure-results/. The exit code is over every target.

Options:
  --target NAMES      entries under targets: in the targets file, comma-separated or repeated
                      (default: reference, the built-in target); several run side by side, each with
                      its own limits, into one summary and one report
  --all               every target in the targets file
  --targets FILE      targets file (default: ./targets.yaml)
  --suite IDS         only these suites (comma-separated or repeated), e.g. --suite token
  --grep TEXT         only cases whose id or title contains TEXT (case-insensitive)
  --out DIR           output folder (default: ./reports)
  --fault NAME        plant a fault in the built-in reference target (repeatable; see "faults")
  --show-secrets      keep bearer tokens and client assertions unredacted in the reports (noted in them);
                      private keys never appear, with or without it
  --concurrency N     cases at once (1-64; default: the target's concurrency in the targets file)
  --rate-limit N      requests per second to the target (0 = no limit; default: the targets file's
                      rateLimit, else 10/s for external targets)
  --timeout D         deadline of the whole run (default 30m): cases not finished by then end broken
  --case-timeout D    deadline of each case (default 2m); D is like 90s, 10m, 500ms or seconds
  --insecure          turn TLS certificate verification off (throw-away test targets only; reported)
  --strict            count warnings (SHOULDs, tolerated variants) as failures, for certification
  --skip-preflight    do not run the pre-flight (see "doctor") before the cases
  --suites-dir DIR    read the suites (and refs.yaml) from DIR instead of the package's suites/
  --no-html           skip the HTML report (allure-results are still written; "report" makes it later)

Exit codes: 0 every case passed (skipped allowed), 1 a case failed or broke, 2 usage or configuration
error, 130 interrupted.`,
  async run(args, io) {
    const { values, positionals } = parseCommand("run", args, {
      target: { type: "string", multiple: true },
      all: { type: "boolean" },
      targets: { type: "string" },
      suite: { type: "string", multiple: true },
      grep: { type: "string" },
      out: { type: "string" },
      fault: { type: "string", multiple: true },
      "show-secrets": { type: "boolean" },
      concurrency: { type: "string" },
      "rate-limit": { type: "string" },
      timeout: { type: "string" },
      "case-timeout": { type: "string" },
      insecure: { type: "boolean" },
      strict: { type: "boolean" },
      "skip-preflight": { type: "boolean" },
      "suites-dir": { type: "string" },
      "no-html": { type: "boolean" },
    });
    noPositionals("run", positionals);
    assertOutputFolder("run", resolve(io.cwd, values.out ?? "reports"));
    const concurrency = integerOption("run", "concurrency", values.concurrency, 1, 64);
    const rateLimit = integerOption("run", "rate-limit", values["rate-limit"], 0, 1000);
    const timeoutMs = durationOption("run", "timeout", values.timeout, 1_000, 24 * 3_600_000);
    const caseTimeoutMs = durationOption("run", "case-timeout", values["case-timeout"], 100, 3_600_000);
    const suites = listOption(values.suite);
    const faults = listOption(values.fault);
    const named = [...new Set(listOption(values.target))];
    if (values.all && named.length > 0) throw usageError("run", "give --target NAMES or --all, not both");
    const targetsFile = resolve(io.cwd, values.targets ?? "targets.yaml");
    // Key generation for the built-in target starts now, beside the module loading below.
    const pki = prefetchTestPki(
      needsBuiltinPki(targetsFile, values.all ? "all" : named.length > 0 ? named : ["reference"]),
    );
    try {
      return await checkAndRun();
    } finally {
      await pki.dispose();
    }
    async function checkAndRun(): Promise<number> {
      const runOptions: EntryRunOptions = {
        targetsFile,
        targetName: named[0] ?? "reference",
        ...(suites.length > 0 ? { suites } : {}),
        ...(values.grep !== undefined ? { grep: values.grep } : {}),
        ...(faults.length > 0 ? { faults } : {}),
        ...(values["show-secrets"] ? { showSecrets: true } : {}),
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(rateLimit !== undefined ? { rateLimit } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(caseTimeoutMs !== undefined ? { caseTimeoutMs } : {}),
        ...(values.insecure ? { insecure: true } : {}),
        ...(values.strict ? { strict: true } : {}),
        ...(values["suites-dir"] !== undefined ? { suitesDir: resolve(io.cwd, values["suites-dir"]) } : {}),
      };
      if (!existsSync(runOptions.targetsFile)) {
        throw new ConfigError(
          "CONFIG",
          `${runOptions.targetsFile}: targets file not found; pass --targets FILE or run from the folder that holds targets.yaml`,
        );
      }
      const { checkRunOptions } = await import("./builtin-target.ts");
      const { targetNamesIn } = await import("../engine/index.ts");
      const targets = values.all ? targetNamesIn(targetsFile) : named.length > 0 ? named : ["reference"];
      let caseCount = 0;
      const preflight: string[] = [];
      for (const targetName of targets) {
        const checked = await checkRunOptions({ ...runOptions, targetName });
        if (checked.caseCount === 0) {
          const filters = [
            suites.length > 0 ? `--suite ${suites.join(",")}` : "",
            values.grep !== undefined ? `--grep "${values.grep}"` : "",
          ].filter((f) => f !== "");
          throw usageError(
            "run",
            `no case applies to target "${checked.targetName}"${filters.length > 0 ? ` with ${filters.join(" ")}` : ""}; "ishare-conformance list" shows the cases`,
          );
        }
        caseCount += checked.caseCount;
        if (checked.external && !values["skip-preflight"]) {
          const { blocking, runDoctor } = await import("../doctor/index.ts");
          const report = await runDoctor({
            targetsFile: runOptions.targetsFile,
            targetName: checked.targetName,
            ...(values.insecure ? { insecure: true } : {}),
          });
          if (blocking(report.findings)) {
            for (const finding of report.findings.filter((f) => f.kind === "config"))
              io.stderr.write(`ishare-conformance: pre-flight: ${finding.message}\n`);
            io.stderr.write(
              `  (no case was run; "ishare-conformance doctor --target ${checked.targetName}" shows every check)\n`,
            );
            return EXIT.usage;
          }
          const prefix = targets.length > 1 ? `pre-flight (${checked.targetName})` : "pre-flight";
          preflight.push(
            ...report.findings
              .filter((f) => f.kind === "target" || f.kind === "warning")
              .map((f) => `${prefix}: ${f.check}: ${f.message}`),
          );
        }
      }
      const noun = caseCount === 1 ? "case" : "cases";
      if (values.insecure) {
        io.stderr.write(
          "ishare-conformance: WARNING: --insecure: TLS certificate verification is OFF for this run; " +
            "its results prove nothing about the target's TLS\n",
        );
      }
      const against =
        targets.length === 1 ? `"${targets[0]}"` : `${targets.length} targets (${targets.join(", ")})`;
      const pkiDir = await pki.dir;
      return conductRun({
        runOptions: {
          ...runOptions,
          ...(pkiDir !== undefined ? { pkiDir } : {}),
          ...(preflight.length > 0 ? { notices: preflight } : {}),
        },
        ...(targets.length > 1 ? { targets } : {}),
        ...(values["no-html"] ? { noHtml: true } : {}),
        outDir: resolve(io.cwd, values.out ?? "reports"),
        heading: `${caseCount} ${noun} against ${against} (${displayPath(io.cwd, runOptions.targetsFile)})`,
        io,
      });
    }
  },
};
