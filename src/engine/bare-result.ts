/** A case result that has no steps: skipped before it ran, not judged, or stopped by a deadline. */
import type { CaseResult } from "../model/result.ts";
import type { PlannedCase } from "./run.ts";

/** A case result without steps: skipped before it ran, or stopped by a deadline. */
export function bareResult(
  planned: PlannedCase,
  status: "skipped" | "broken",
  message: string,
  now: () => number,
): CaseResult {
  return {
    id: planned.id,
    suite: planned.suite,
    title: planned.title,
    ref: planned.ref,
    tags: planned.tags,
    status,
    message,
    warnings: [],
    startedAt: new Date(now()).toISOString(),
    durationMs: 0,
    steps: [],
  };
}
