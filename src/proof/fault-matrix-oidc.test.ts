/**
 * The fault matrix of the reference Identity Provider (suite oidc, form login driver): for each planted
 * oidc.* fault exactly the OIDC cases that claim to catch it fail and every other OIDC case passes. Two runs
 * prove the families do not leak into each other: with every oidc.* fault planted at once every case of the
 * other suites passes, and with every other (non-chaos) fault planted at once every OIDC case passes.
 */
import { describe, expect, test } from "vitest";
import { CHAOS_TARGET, FAULTS, type FaultSpec } from "../reference/index.ts";
import {
  describeFaultMatrix,
  isChaosFault,
  isOidcFault,
  OIDC_SUITE,
  runReference,
  suitesWithoutOidc,
} from "./fault-matrix.fixture.ts";

describeFaultMatrix("oidc", isOidcFault, [OIDC_SUITE]);

const names = Object.keys(FAULTS);

describe("the oidc faults and the other families do not reach each other's cases", () => {
  test.concurrent("with every oidc fault planted, every case of the other suites passes", async () => {
    const results = await runReference("reference", names.filter(isOidcFault), {
      suites: suitesWithoutOidc(),
    });
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((r) => r.status !== "passed" && r.status !== "skipped").map((r) => r.id)).toEqual(
      [],
    );
  }, 300_000);

  test.concurrent("with every other family's fault planted, every OIDC case passes", async () => {
    const others = names.filter((name) => {
      const spec: FaultSpec = FAULTS[name as keyof typeof FAULTS];
      return !isOidcFault(name) && !isChaosFault(name) && spec.target !== CHAOS_TARGET && !spec.versions;
    });
    const results = await runReference("reference", others, { suites: [OIDC_SUITE] });
    expect(results.filter((r) => r.status !== "skipped").length).toBeGreaterThanOrEqual(25);
    expect(
      results
        .filter((r) => r.status !== "passed" && r.status !== "skipped")
        .map((r) => `${r.id}: ${r.message}`),
    ).toEqual([]);
  }, 300_000);
});
