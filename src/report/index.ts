/** Reporting: the vitest entry and reporters, results.jsonl, summary.json and the Allure HTML report. */
export { allureCliPath, type GenerateOptions, generateAllureReport } from "./allure-generate.ts";
export { checkStatus, describeCase, recordCaseInAllure } from "./allure-record.ts";
export { allureResultFixer, type ResultFixerOptions } from "./allure-status.ts";
export { type CaseMeta, caseMetaOf, readCaseMeta, writeCaseMeta } from "./case-meta.ts";
export {
  type ConformanceRunOutcome,
  type ConformanceRunRequest,
  outputPaths,
  runConformance,
} from "./conformance-run.ts";
export {
  ConsoleReporter,
  type ConsoleReporterOptions,
  caseLineOf,
  type RunProblem,
} from "./console-reporter.ts";
export { ENTRY_CONFIG_KEY, type EntryConfig, type EntryRunOptions, type RunInfo } from "./entry-config.ts";
export { type CaseLine, formatCaseLine, formatDuration, formatTotalsTable } from "./format.ts";
export { appendCaseResult, RESULTS_FILE_NAME, readCaseResults } from "./results-file.ts";
export { createStyle, type Style } from "./style.ts";
export {
  buildSummary,
  compareCaseIds,
  countOutcomes,
  formatSummary,
  type RunSummary,
  type SummaryCase,
  type SummaryInput,
  type Totals,
} from "./summary.ts";
export { ENTRY_FILE, runConformanceVitest } from "./vitest-run.ts";
