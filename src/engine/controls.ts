/**
 * Positive controls: a negative case ("this one mutation is refused") means something only when the same
 * request without the mutation is accepted by the same target in the same run. This module decides whether a
 * control's result shows that acceptance, and builds the "not judged" result of a negative whose control did not.
 */
import type { CaseResult, NotJudged } from "../model/result.ts";
import type { PlannedCase } from "./run.ts";

/**
 * Undefined when the control's request was accepted (the case passed, or failed only on checks other than its
 * status: the valid request got the answer a valid request gets); else why it was not, in one sentence.
 */
export function controlNotAccepted(control: CaseResult): string | undefined {
  if (control.status === "passed") return undefined;
  if (control.status === "failed") {
    const statusHeld = control.steps.every((step) =>
      step.checks.every((check) => check.ok || check.check !== "status-is" || check.severity !== "fail"),
    );
    if (statusHeld && control.steps.length > 0) return undefined;
  }
  const verb = control.status === "skipped" ? "was skipped" : control.status;
  return `positive control ${control.id} ${verb}: ${control.message}`;
}

/** The result of a case that was not judged: broken, the reason in the message and in `notJudged`. */
export function notJudgedResult(planned: PlannedCase, notJudged: NotJudged, now: () => number): CaseResult {
  return {
    id: planned.id,
    suite: planned.suite,
    title: planned.title,
    ref: planned.ref,
    tags: planned.tags,
    status: "broken",
    message: `not judged: ${notJudged.reason}`,
    warnings: [],
    startedAt: new Date(now()).toISOString(),
    durationMs: 0,
    steps: [],
    notJudged,
  };
}
