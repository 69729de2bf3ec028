/**
 * The vitest entry of a conformance run (not a *.test.ts file: our own test run must not pick it up).
 * Prepares the run from the injected options, declares one concurrent describe per suite and one test
 * per case, records each result (results.jsonl, Allure) and maps its outcome onto vitest's.
 */
import { afterAll, describe, inject, type TestContext, test } from "vitest";
import { Limiter } from "../engine/limiter.ts";
import type { PlannedCase, PreparedRun, RunOptions } from "../engine/run.ts";
import type { CaseResult } from "../model/result.ts";
import { recordCaseInAllure } from "./allure-record.ts";
import { writeFileAtomic } from "./atomic-file.ts";
import { caseMetaOf, writeCaseMeta } from "./case-meta.ts";
import { ENTRY_CONFIG_KEY, type RunInfo } from "./entry-config.ts";
import { listenForRunInterrupt } from "./interrupt-channel.ts";
import { appendCaseResult } from "./results-file.ts";

interface EngineModule {
  prepareRun(options: RunOptions): Promise<PreparedRun>;
}

/** An error carrying only its message: the stack would point into the harness, not the target. */
function outcomeError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = `${name}: ${message}`;
  return error;
}

/** passed → return; failed → AssertionError (Allure: failed); broken → Error (Allure: broken); skipped → skip. */
function settle(context: TestContext, result: CaseResult): void {
  switch (result.status) {
    case "passed":
      return;
    case "failed":
      throw outcomeError("AssertionError", result.message);
    case "broken":
      throw outcomeError("Error", result.message);
    case "skipped":
      context.skip(result.message);
  }
}

const config = inject(ENTRY_CONFIG_KEY);
// Listening first: an interrupt while the run is being prepared still stops every case from starting.
const interrupt = config.interruptChannel ? listenForRunInterrupt(config.interruptChannel) : undefined;
const engine = (await import(config.engineModule)) as EngineModule;
const run = await engine.prepareRun(config.runOptions);
afterAll(async () => {
  interrupt?.close();
  await run.close();
});

const info: RunInfo = { target: run.target.name, notices: run.notices, plannedCases: run.cases.length };
await writeFileAtomic(config.runInfoFile, `${JSON.stringify(info, null, 2)}\n`);

const limiter = new Limiter(run.target.concurrency);
const suites = new Map<string, PlannedCase[]>();
for (const planned of run.cases) suites.set(planned.suite, [...(suites.get(planned.suite) ?? []), planned]);

for (const [suite, cases] of suites) {
  describe.concurrent(suite, () => {
    for (const planned of cases) {
      test(`${planned.id} ${planned.title}`, async (context) => {
        // An interrupt (Ctrl-C / SIGTERM) stops the case's exchange under way at once.
        const signal = interrupt?.signal;
        // A negative waits for its positive control outside a slot, so a slow control holds no other case up.
        if (!signal?.aborted) await run.beforeCase(planned, signal ? { signal } : {});
        const result = await limiter.run(async () =>
          signal?.aborted ? undefined : run.runCase(planned, signal ? { signal } : {}),
        );
        // A case cut short by the interrupt did not finish: it is not recorded (the summary counts it as such).
        if (result === undefined || (signal?.aborted && result.status === "broken")) {
          context.skip("interrupted before the case finished");
          return;
        }
        await appendCaseResult(config.resultsFile, result);
        writeCaseMeta(context.task.meta, caseMetaOf(result));
        await recordCaseInAllure(planned, result);
        settle(context, result);
      });
    }
  });
}
