/** Reporting: the vitest entry and reporters, results.jsonl, summary.json and the Allure HTML report. */
export {
  ALLURE_CONFIG,
  allureCliPath,
  externalFetches,
  type GenerateOptions,
  generateAllureReport,
  stripAnalytics,
} from "./allure-generate.ts";
export {
  type AllureTestResult,
  allureTestOf,
  defectInWords,
  describeCase,
  stepTitle,
  writeAllureResults,
} from "./allure-results.ts";
export { type CaseMeta, caseMetaOf, readCaseMeta, writeCaseMeta } from "./case-meta.ts";
export {
  type ConformanceRunOutcome,
  type ConformanceRunRequest,
  outputPaths,
  reportNameOf,
  runConformance,
} from "./conformance-run.ts";
export {
  ConsoleReporter,
  type ConsoleReporterOptions,
  caseLineOf,
  type RunProblem,
} from "./console-reporter.ts";
export {
  ENTRY_CONFIG_KEY,
  type EntryConfig,
  type EntryRunOptions,
  entryTargets,
  type RunInfo,
  type TargetCaseResult,
} from "./entry-config.ts";
export {
  type CaseLine,
  formatCaseLine,
  formatDuration,
  formatProgress,
  formatRecap,
  formatTargetTotals,
  formatTotalsTable,
} from "./format.ts";
export { formatJunit, xmlEscape } from "./junit.ts";
export { readableJwt } from "./jwt-readable.ts";
export { appendCaseResult, RESULTS_FILE_NAME, readCaseResults } from "./results-file.ts";
export { contextProperties, type RunContext, type TargetContext } from "./run-context.ts";
export { createStyle, type Style } from "./style.ts";
export {
  buildSummary,
  compareCaseIds,
  countOutcomes,
  formatSummary,
  type RunSummary,
  type SummaryCase,
  type SummaryInput,
  type SummaryTarget,
  type Totals,
} from "./summary.ts";
export { ENTRY_FILE, runConformanceVitest } from "./vitest-run.ts";
