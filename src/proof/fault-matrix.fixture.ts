/**
 * Test-only: the fault matrix, shared by the proof files (split by fault family so that vitest runs them in
 * parallel workers). For a planted fault, exactly its `caughtBy` cases fail and nothing breaks.
 */
import { describe, expect, test } from "vitest";
import { prepareRun, runAll } from "../engine/index.ts";
import type { CaseResult } from "../model/result.ts";
import { FAULTS, type FaultName } from "../reference/index.ts";

const TARGETS = "targets.yaml";

/** Runs every applicable case against the built-in reference target with `faults` planted. */
export async function runReference(
  targetName: string,
  faults: readonly string[] = [],
): Promise<CaseResult[]> {
  const run = await prepareRun({ targetsFile: TARGETS, targetName, faults });
  try {
    return await runAll(run);
  } finally {
    await run.close();
  }
}

/** Ids of the results with `status`. */
export const byStatus = (results: readonly CaseResult[], status: CaseResult["status"]): string[] =>
  results.filter((r) => r.status === status).map((r) => r.id);

/** One concurrent test per fault whose name `select` accepts. */
export function describeFaultMatrix(title: string, select: (name: FaultName) => boolean): void {
  describe(`fault matrix (${title}): each fault is caught by its cases and only by them`, () => {
    const faults = (Object.entries(FAULTS) as Array<[FaultName, (typeof FAULTS)[FaultName]]>).filter(
      ([name]) => select(name),
    );
    test.concurrent.each(faults)("%s", async (fault, spec) => {
      const versions = "versions" in spec ? (spec.versions as readonly string[]) : undefined;
      const targetName = versions && !versions.includes("2.0") ? "reference-2.1" : "reference";
      const results = await runReference(targetName, [fault]);
      expect(byStatus(results, "broken")).toEqual([]);
      expect(byStatus(results, "failed").sort()).toEqual([...spec.caughtBy].sort());
    });
  });
}

/** The token endpoint's faults (one proof file); every other family goes to the other. */
export const isTokenFault = (name: string): boolean => name.startsWith("token.");
