/**
 * summary.json: the run's context (harness, secrets marker, every target with its base URL, version, roles,
 * faults and notices), totals per target and overall, and one line per case, built from results.jsonl for
 * CI and scripts.
 */
import type { CaseResult, NotJudged, Outcome } from "../model/result.ts";
import { OUTCOMES } from "../model/result.ts";
import {
  type RunContext,
  runNotices,
  type SecretsMarker,
  type TargetContext,
  targetNames,
} from "./run-context.ts";

export type Totals = Record<Outcome, number>;

export interface SummaryCase {
  /** The target the case ran against. */
  readonly target: string;
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

/** One target of the run: its context and its own totals. */
export interface SummaryTarget extends Omit<TargetContext, "plannedCases" | "planned"> {
  readonly totals: Totals;
}

export interface RunSummary {
  /** The target's name; with several targets their names joined with ", ". */
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly harness: RunContext["harness"];
  readonly secrets: SecretsMarker;
  /** Totals over every target. */
  readonly totals: Totals;
  readonly targets: readonly SummaryTarget[];
  /** How many of the broken cases were not judged (their positive control or a precondition did not hold). */
  readonly notJudged: number;
  readonly cases: readonly SummaryCase[];
  readonly notices: readonly string[];
}

/** A result as read from results.jsonl; lines of older runs carry no target. */
export type SummaryResult = CaseResult & { readonly target?: string };

export interface SummaryInput {
  /** Used when `context` names no target (the run did not get as far as preparing one). */
  readonly target: string;
  /** ISO 8601 start of the run. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly results: readonly SummaryResult[];
  /** Notices of the run beyond the targets' own (interrupted, ...). */
  readonly notices: readonly string[];
  readonly context?: RunContext;
}

/** Counts results per outcome; an outcome this build does not know is counted under its own name. */
export function countOutcomes(results: readonly { readonly status: Outcome }[]): Totals {
  const totals = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Totals;
  for (const result of results) totals[result.status] = (totals[result.status] ?? 0) + 1;
  return totals;
}

/** Case ids compared with numbers in order (TOKEN-2 before TOKEN-10). */
export const compareCaseIds = (a: string, b: string): number =>
  a.localeCompare(b, "en", { numeric: true, sensitivity: "variant" });

const UNKNOWN_HARNESS: RunContext["harness"] = { name: "ishare-conformance", version: "unknown" };

/** Builds the summary; cases ordered by target (run order), then id. */
export function buildSummary(input: SummaryInput): RunSummary {
  const contexts = input.context?.targets ?? [];
  const targetOf = (result: SummaryResult): string => result.target ?? contexts[0]?.name ?? input.target;
  const order = new Map(contexts.map((target, index) => [target.name, index]));
  const rank = (name: string): number => order.get(name) ?? contexts.length;
  const cases = [...input.results]
    .sort((a, b) => rank(targetOf(a)) - rank(targetOf(b)) || compareCaseIds(a.id, b.id))
    .map(
      (result): SummaryCase => ({
        target: targetOf(result),
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
  const targets = contexts.map(
    ({ plannedCases: _planned, planned: _list, ...target }): SummaryTarget => ({
      ...target,
      totals: countOutcomes(cases.filter((c) => c.target === target.name)),
    }),
  );
  const notices = [...runNotices({ targets: contexts }), ...input.notices];
  return {
    target: contexts.length > 0 ? targetNames({ targets: contexts }) : input.target,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    harness: input.context?.harness ?? UNKNOWN_HARNESS,
    secrets: input.context?.secrets ?? "redacted",
    totals: countOutcomes(input.results),
    targets,
    notJudged: input.results.filter((result) => result.notJudged !== undefined).length,
    cases,
    notices,
  };
}

/** summary.json text (two-space indent, trailing newline). */
export const formatSummary = (summary: RunSummary): string => `${JSON.stringify(summary, null, 2)}\n`;
