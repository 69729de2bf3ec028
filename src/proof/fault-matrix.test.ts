/**
 * The proof that every verdict is earned: the conformant reference target passes every case, and for every
 * planted fault exactly the cases that claim to catch it fail, exactly the cases it claims to break are
 * broken, and no other case fails or breaks. Chaos faults (hostile targets) run on the short-timeout target
 * and must also finish within their bound, each affected case naming the behaviour in its message.
 */
import { describe, expect, test } from "vitest";
import { listCases, prepareRun, type RunOptions, runAll } from "../engine/index.ts";
import type { CaseResult } from "../model/result.ts";
import { CHAOS_TARGET, FAULTS, type FaultName, type FaultSpec } from "../reference/index.ts";

const TARGETS = "targets.yaml";

/** Per-case deadline of chaos runs: far above their HTTP timeouts (2 s per exchange), far below the default. */
const CHAOS_CASE_TIMEOUT_MS = 10_000;
/** A chaos run (44 cases, two of them stuck until their HTTP timeouts) finishes within this, even on a loaded machine. */
const CHAOS_RUN_BOUND_MS = 20_000;

async function runReference(
  targetName: string,
  faults: readonly string[] = [],
  extra: Partial<RunOptions> = {},
): Promise<CaseResult[]> {
  const run = await prepareRun({ targetsFile: TARGETS, targetName, faults, ...extra });
  try {
    return await runAll(run);
  } finally {
    await run.close();
  }
}

const byStatus = (results: readonly CaseResult[], status: CaseResult["status"]): string[] =>
  results.filter((r) => r.status === status).map((r) => r.id);

describe("the conformant reference target", () => {
  test.concurrent.each([
    ["reference", ["TOKEN-002"]],
    ["reference-2.1", ["TOKEN-019"]],
  ])("%s passes every case (only version-inapplicable cases skipped)", async (targetName, skipped) => {
    const results = await runReference(targetName);
    const notPassed = results.filter((r) => r.status !== "passed" && r.status !== "skipped");
    expect(notPassed.map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
    expect(byStatus(results, "skipped")).toEqual(skipped);
    expect(results.length).toBeGreaterThanOrEqual(44);
  });
});

describe("every negative case is proven by a fault", () => {
  test("each negative case id is caught by at least one fault, and each fault names real cases", () => {
    const cases = listCases();
    const ids = new Set(cases.map((c) => c.id));
    const specs: FaultSpec[] = Object.values(FAULTS);
    // Chaos faults test the harness, not a rule: they prove no negative case.
    const ruleFaults = specs.filter((f) => f.target !== CHAOS_TARGET);
    const caught = new Set<string>(ruleFaults.flatMap((f) => [...f.caughtBy]));
    const negatives = cases.filter((c) => c.tags.includes("negative")).map((c) => c.id);
    expect(negatives.filter((id) => !caught.has(id))).toEqual([]);
    const named = specs.flatMap((f) => [...f.caughtBy, ...(f.breaks === "all" ? [] : (f.breaks ?? []))]);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe("fault matrix: each fault is caught by its cases and only by them", () => {
  const faults = Object.entries(FAULTS) as Array<[FaultName, FaultSpec]>;
  test.concurrent.each(faults)("%s", async (fault, spec) => {
    const versions = spec.versions;
    const targetName = spec.target ?? (versions && !versions.includes("2.0") ? "reference-2.1" : "reference");
    const chaos = targetName === CHAOS_TARGET;
    const started = performance.now();
    const results = await runReference(
      targetName,
      [fault],
      chaos ? { caseTimeoutMs: CHAOS_CASE_TIMEOUT_MS } : {},
    );
    const elapsed = performance.now() - started;
    const ran = results.filter((r) => r.status !== "skipped").map((r) => r.id);
    const breaks = spec.breaks === "all" ? ran : [...(spec.breaks ?? [])];
    expect(byStatus(results, "broken").sort()).toEqual([...breaks].sort());
    expect(byStatus(results, "failed").sort()).toEqual([...spec.caughtBy].sort());
    const affected = results.filter((r) => r.status === "failed" || r.status === "broken");
    if (spec.reason !== undefined) {
      for (const result of affected) expect(result.message, result.id).toContain(spec.reason);
    }
    if (chaos) expect(elapsed, `${fault} took ${Math.round(elapsed)} ms`).toBeLessThan(CHAOS_RUN_BOUND_MS);
  });
});
