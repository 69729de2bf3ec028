/**
 * The cases of a conformance run, loaded by the vitest entry (conformance.entry.ts) through tsx.
 * Prepares one run per target from the injected options, declares one concurrent describe per target and
 * suite and one test per case, records each result (results.jsonl, task meta for the console) and maps its
 * outcome onto vitest's. The Allure results and JUnit are written from results.jsonl after the run.
 */
import { setMaxListeners } from "node:events";
import { afterAll, describe, inject, type TestContext, test } from "vitest";
import { Limiter } from "../engine/limiter.ts";
import type { PlannedCase, PreparedRun, RunOptions } from "../engine/run.ts";
import type { CaseResult } from "../model/result.ts";
import { writeFileAtomic } from "./atomic-file.ts";
import { caseMetaOf, writeCaseMeta } from "./case-meta.ts";
import { ENTRY_CONFIG_KEY, entryTargets, type RunInfo } from "./entry-config.ts";
import { listenForRunInterrupt } from "./interrupt-channel.ts";
import { appendCaseResult } from "./results-file.ts";
import type { TargetContext } from "./run-context.ts";

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

/** passed → return; failed → AssertionError; broken (and any other outcome) → Error; skipped → skip. */
function settle(context: TestContext, result: CaseResult): void {
  switch (result.status) {
    case "passed":
      return;
    case "failed":
      throw outcomeError("AssertionError", result.message);
    case "skipped":
      context.skip(result.message);
      return;
    default:
      throw outcomeError("Error", result.message);
  }
}

const config = inject(ENTRY_CONFIG_KEY);
// Listening first: an interrupt while the run is being prepared still stops every case from starting.
const interrupt = config.interruptChannel ? listenForRunInterrupt(config.interruptChannel) : undefined;
const engine = (await import(config.engineModule)) as EngineModule;
// Every case in flight listens to the interrupt: with several targets that is more than Node's default of 10.
if (interrupt) setMaxListeners(0, interrupt.signal);
const runs: PreparedRun[] = [];
afterAll(async () => {
  interrupt?.close();
  await Promise.all(runs.map((run) => run.close()));
});
// One after the other: a configuration error names its target before any case runs.
for (const targetName of entryTargets(config)) {
  runs.push(
    await engine.prepareRun({
      ...config.runOptions,
      targetName,
      ...(interrupt ? { signal: interrupt.signal } : {}),
    }),
  );
}

const contextOf = (run: PreparedRun): TargetContext => ({
  name: run.target.name,
  baseUrl: run.target.baseUrl ?? "",
  partyId: run.target.partyId ?? "",
  version: run.target.version ?? "",
  roles: [...(run.target.roles ?? [])],
  faults: [...(run.faults ?? [])],
  notices: [...run.notices],
  plannedCases: run.cases.length,
  planned: run.cases.map((c) => ({
    id: c.id,
    suite: c.suite,
    title: c.title,
    ref: `${c.ref.title} — ${c.ref.url}`,
  })),
});
const info: RunInfo = {
  targets: runs.map(contextOf),
  plannedCases: runs.reduce((sum, run) => sum + run.cases.length, 0),
};
await writeFileAtomic(config.runInfoFile, `${JSON.stringify(info, null, 2)}\n`);

for (const run of runs) {
  const target = run.target.name;
  // Each target keeps its own limit of cases in flight.
  const limiter = new Limiter(run.target.concurrency);
  const suites = new Map<string, PlannedCase[]>();
  for (const planned of run.cases) suites.set(planned.suite, [...(suites.get(planned.suite) ?? []), planned]);
  describe.concurrent(target, () => {
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
            await appendCaseResult(config.resultsFile, { ...result, target });
            writeCaseMeta(context.task.meta, { ...caseMetaOf(result), target });
            settle(context, result);
          });
        }
      });
    }
  });
}
