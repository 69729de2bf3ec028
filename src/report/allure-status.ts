/**
 * Final touches on each Allure result before it is written, in the main process:
 * - status from our own outcome: allure-js guesses failed-vs-broken from the error text (any message
 *   containing "assert" counts as failed) and iSHARE messages talk about client assertions;
 * - suite labels: parentSuite = target, suite = suite id (vitest would give parentSuite = suite id).
 */
import { LabelName, Status } from "allure-js-commons";
import type { LifecycleListener } from "allure-js-commons/sdk/reporter";
import type { Outcome } from "../model/result.ts";

const STATUS: Record<Outcome, Status> = {
  passed: Status.PASSED,
  failed: Status.FAILED,
  broken: Status.BROKEN,
  skipped: Status.SKIPPED,
};

const SUITE_LABELS: readonly string[] = [LabelName.PARENT_SUITE, LabelName.SUITE, LabelName.SUB_SUITE];

export interface ResultFixerOptions {
  /** Target name, shown as the top of Allure's suite tree. */
  readonly target: string;
  /** The outcome of a test by its name (`<id> <title>`), when known. */
  readonly outcomeOf: (testName: string) => Outcome | undefined;
}

/** A listener for allure-vitest's reporter runtime. */
export function allureResultFixer(options: ResultFixerOptions): LifecycleListener {
  return {
    beforeTestResultWrite(result) {
      const outcome = result.name === undefined ? undefined : options.outcomeOf(result.name);
      if (outcome !== undefined) result.status = STATUS[outcome];
      // vitest's describe path: [suite id]; anything deeper stays a sub-suite.
      const path = result.labels
        .filter((label) => SUITE_LABELS.includes(label.name))
        .map((label) => label.value);
      const [suite, ...rest] = path;
      if (suite === undefined) return;
      result.labels = result.labels.filter((label) => !SUITE_LABELS.includes(label.name));
      result.labels.push({ name: LabelName.PARENT_SUITE, value: options.target });
      result.labels.push({ name: LabelName.SUITE, value: suite });
      if (rest.length > 0) result.labels.push({ name: LabelName.SUB_SUITE, value: rest.join(" > ") });
    },
  };
}
