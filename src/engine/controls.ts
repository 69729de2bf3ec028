/**
 * Positive controls: a negative case ("this one mutation is refused") means something only when the same
 * request without the mutation is accepted by the same target in the same run. This module decides whether a
 * control's result shows that acceptance, and builds the "not judged" result of a negative whose control did not.
 */
import type { CaseResult, NotJudged } from "../model/result.ts";
import { bareResult } from "./bare-result.ts";
import type { PlannedCase } from "./run.ts";

/**
 * Undefined when the control's request was accepted: the case passed, or it failed or broke only after its
 * answers came and its status checks held (the valid request got the answer a valid request gets; a missing
 * caching header, or trust in the signer that could not be established, is the control's own verdict). Else why
 * it was not, in one sentence.
 */
export function controlNotAccepted(control: CaseResult): string | undefined {
  if (control.status === "passed") return undefined;
  if (control.status === "failed" || control.status === "broken") {
    const statusChecks = control.steps.flatMap((step) =>
      step.checks.filter((check) => check.check === "status-is" && check.severity === "fail"),
    );
    const answered = control.steps.length > 0 && control.steps.every((step) => step.response !== undefined);
    if (answered && statusChecks.length > 0 && statusChecks.every((check) => check.ok)) return undefined;
  }
  const verb = control.status === "skipped" ? "was skipped" : control.status;
  return `positive control ${control.id} ${verb}: ${control.message}`;
}

/** The result of a case that was not judged: broken, the reason in the message and in `notJudged`. */
export function notJudgedResult(planned: PlannedCase, notJudged: NotJudged, now: () => number): CaseResult {
  return { ...bareResult(planned, "broken", `not judged: ${notJudged.reason}`, now), notJudged };
}
