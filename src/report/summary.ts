/** summary.json: the run's totals and one line per case, built from results.jsonl for CI and scripts. */
import type { CaseResult, NotJudged, Outcome } from "../model/result.ts";

export type Totals = Record<Outcome, number>;

export interface SummaryCase {
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  /** `<rule title> — <url>`. */
  readonly ref: string;
  readonly status: Outcome;
  readonly durationMs: number;
  readonly message: string;
  /** Broken because not judged: the positive control (if any) and the reason. */
  readonly notJudged?: NotJudged;
}

export interface RunSummary {
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: Totals;
  /** How many of the broken cases were not judged (their positive control or a precondition did not hold). */
  readonly notJudged: number;
  readonly cases: readonly SummaryCase[];
  readonly notices: readonly string[];
}

export interface SummaryInput {
  readonly target: string;
  /** ISO 8601 start of the run. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly results: readonly CaseResult[];
  readonly notices: readonly string[];
}

/** Counts results per outcome. */
export function countOutcomes(results: readonly { readonly status: Outcome }[]): Totals {
  const totals: Totals = { passed: 0, failed: 0, broken: 0, skipped: 0 };
  for (const result of results) totals[result.status] += 1;
  return totals;
}

/** Case ids compared with numbers in order (TOKEN-2 before TOKEN-10). */
export const compareCaseIds = (a: string, b: string): number =>
  a.localeCompare(b, "en", { numeric: true, sensitivity: "variant" });

/** Builds the summary; cases ordered by id. */
export function buildSummary(input: SummaryInput): RunSummary {
  const cases = [...input.results]
    .sort((a, b) => compareCaseIds(a.id, b.id))
    .map(
      (result): SummaryCase => ({
        id: result.id,
        suite: result.suite,
        title: result.title,
        ref: `${result.ref.title} — ${result.ref.url}`,
        status: result.status,
        durationMs: result.durationMs,
        message: result.message,
        ...(result.notJudged ? { notJudged: result.notJudged } : {}),
      }),
    );
  return {
    target: input.target,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    totals: countOutcomes(input.results),
    notJudged: input.results.filter((result) => result.notJudged !== undefined).length,
    cases,
    notices: [...input.notices],
  };
}

/** summary.json text (two-space indent, trailing newline). */
export const formatSummary = (summary: RunSummary): string => `${JSON.stringify(summary, null, 2)}\n`;
