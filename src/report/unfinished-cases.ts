/**
 * A vitest reporter that marks every case without a result (never started, or cut off by an interrupt) as
 * skipped before the JUnit and Allure reporters read the tasks: vitest's JUnit reporter writes a test with
 * no result and no failure as passed, and an unfinished case must never read as passed.
 */
import type { Reporter, Vitest } from "vitest/node";

/** The parts of a vitest task this reporter reads and changes. */
interface TaskLike {
  type: string;
  mode: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

const FINISHED: ReadonlySet<string | undefined> = new Set(["pass", "fail", "skip", "todo"]);

function markUnfinished(task: TaskLike): number {
  if (task.type === "suite" || task.tasks !== undefined) {
    return (task.tasks ?? []).reduce((count, inner) => count + markUnfinished(inner), 0);
  }
  if (FINISHED.has(task.result?.state)) return 0;
  task.mode = "skip";
  delete task.result;
  return 1;
}

/** Reporter: put it before the JUnit and Allure reporters. `onMarked` hears how many cases it marked. */
export function unfinishedAsSkipped(onMarked?: (count: number) => void): Reporter {
  let vitest: Vitest | undefined;
  return {
    onInit(context: Vitest) {
      vitest = context;
    },
    onTestRunEnd() {
      let count = 0;
      // The runner's tasks, which the JUnit and Allure reporters read right after this.
      for (const file of vitest?.state.getFiles() ?? []) count += markUnfinished(file as TaskLike);
      onMarked?.(count);
    },
  };
}
