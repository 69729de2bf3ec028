/**
 * The proof that every verdict is earned: the conformant reference target passes every case, and for every
 * planted fault exactly the cases that claim to catch it fail, and no other case fails or breaks.
 */
import { describe, expect, test } from "vitest";
import { listCases, prepareRun, runAll } from "../engine/index.ts";
import type { CaseResult } from "../model/result.ts";
import { FAULTS, type FaultName } from "../reference/index.ts";

const TARGETS = "targets.yaml";

async function runReference(targetName: string, faults: readonly string[] = []): Promise<CaseResult[]> {
  const run = await prepareRun({ targetsFile: TARGETS, targetName, faults });
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
    ["reference-3.0", ["TOKEN-019"]],
  ])("%s passes every case (only version-inapplicable cases skipped)", async (targetName, skipped) => {
    const results = await runReference(targetName);
    const notPassed = results.filter((r) => r.status !== "passed" && r.status !== "skipped");
    expect(notPassed.map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
    expect(byStatus(results, "skipped")).toEqual(skipped);
    expect(results.length).toBeGreaterThanOrEqual(66);
    expect([...new Set(results.map((r) => r.suite))]).toEqual(
      expect.arrayContaining(["token", "capabilities", "parties"]),
    );
  });
});

describe("every negative case is proven by a fault", () => {
  test("each negative case id is caught by at least one fault, and each fault names real cases", () => {
    const cases = listCases();
    const ids = new Set(cases.map((c) => c.id));
    const caught = new Set<string>(Object.values(FAULTS).flatMap((f) => [...f.caughtBy]));
    const negatives = cases.filter((c) => c.tags.includes("negative")).map((c) => c.id);
    expect(negatives.filter((id) => !caught.has(id))).toEqual([]);
    expect([...caught].filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe("fault matrix: each fault is caught by its cases and only by them", () => {
  const faults = Object.entries(FAULTS) as Array<[FaultName, (typeof FAULTS)[FaultName]]>;
  test.concurrent.each(faults)("%s", async (fault, spec) => {
    const versions = "versions" in spec ? (spec.versions as readonly string[]) : undefined;
    const targetName = versions && !versions.includes("2.0") ? "reference-2.1" : "reference";
    const results = await runReference(targetName, [fault]);
    expect(byStatus(results, "broken")).toEqual([]);
    expect(byStatus(results, "failed").sort()).toEqual([...spec.caughtBy].sort());
  });
});
