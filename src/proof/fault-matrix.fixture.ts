/**
 * Test-only: the fault matrix, shared by the proof files (split by fault family so that vitest runs them in
 * parallel workers). For a planted fault, exactly its `caughtBy` cases fail, exactly its `breaks` cases are
 * broken, and every other case passes. Chaos faults (hostile targets) run on the short-timeout target and
 * must also finish within a bound, each affected case naming the behaviour (`reason`) in its message.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { prepareRun } from "../cli/builtin-target.ts";
import { loadSuites } from "../config/suites.ts";
import { controlNotAccepted } from "../engine/controls.ts";
import { type RunOptions, runAll } from "../engine/index.ts";
import { mergeRequest } from "../engine/request-builder.ts";
import { placeholdersIn } from "../engine/templates.ts";
import type { CaseResult } from "../model/result.ts";
import { ISHARE_VERSIONS, type IshareVersion } from "../model/target.ts";
import { CHAOS_TARGET, caughtByAt, FAULTS, type FaultName, type FaultSpec } from "../reference/index.ts";

const TARGETS = "targets.yaml";

/** The chaos proofs' targets: timeouts that make no verdict depend on the machine's speed (see the file). */
export const CHAOS_PROOF_TARGETS = fileURLToPath(new URL("./chaos-targets.yaml", import.meta.url));
/** Its target for the chaos faults that only a timeout can catch (10 s per timeout). */
export const CHAOS_TIMING_TARGET = "reference-chaos";
/** Its target for every other chaos fault (a minute per timeout: a cap or a reset always comes first). */
export const CHAOS_PATIENT_TARGET = "reference-chaos-patient";

/**
 * vitest's limit for one whole-reference run (about a hundred cases, several runs in parallel): a guard against a
 * hang, not a deadline the run is expected to meet, so a loaded machine makes the matrix slower, not red.
 */
export const REFERENCE_RUN_TEST_TIMEOUT_MS = 900_000;

/** Chaos faults caught by a timeout: the target holds the exchange far longer than any timeout. */
export const TIMING_CHAOS: ReadonlySet<string> = new Set([
  "chaos.never-answers",
  "chaos.slow-headers",
  "chaos.stalled-body",
  "chaos.trickle",
]);

/** The proof's run options for a chaos fault: its targets file and target. */
export const chaosProofRun = (fault: string): Pick<RunOptions, "targetsFile" | "targetName"> => ({
  targetsFile: CHAOS_PROOF_TARGETS,
  targetName: TIMING_CHAOS.has(fault) ? CHAOS_TIMING_TARGET : CHAOS_PATIENT_TARGET,
});

/**
 * Per-case deadline of chaos runs: above the longest exchange a timing fault can hold (connect + headers +
 * body of the timing target), so that the HTTP timeouts, never this, end the cases (the reason shows it).
 */
const CHAOS_CASE_TIMEOUT_MS = 60_000;
/** Hang detector only (a hung run would never end): no verdict rests on the run's duration. */
const CHAOS_RUN_BOUND_MS = 240_000;

/**
 * Runs every applicable case against the built-in reference target with `faults` planted (`extra` may name
 * another targets file and target: the chaos proofs' own).
 */
export async function runReference(
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

/** Cases with a step that needs an access token first (`{{token}}`), read from the suites. */
export function tokenDependentCases(): string[] {
  return loadSuites().flatMap((suite) =>
    suite.cases
      .filter((c) =>
        c.steps.some((step) =>
          placeholdersIn(mergeRequest(suite.requests[step.request] ?? {}, step.mutate)).has("token"),
        ),
      )
      .map((c) => c.id),
  );
}

/**
 * Cases not judged because their positive control is one of `affected` and was not accepted in this run;
 * every other case's control was accepted (checked by the caller's expectation on broken cases).
 */
function notJudgedBecauseOf(results: readonly CaseResult[], affected: ReadonlySet<string>): string[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const controls = new Map(
    loadSuites().flatMap((suite) =>
      suite.cases.flatMap((c) => (c.control ? [[c.id, c.control] as const] : [])),
    ),
  );
  return results
    .filter((r) => {
      const control = controls.get(r.id);
      if (control === undefined || !affected.has(control) || r.status === "skipped") return false;
      const result = byId.get(control);
      return result !== undefined && controlNotAccepted(result) !== undefined;
    })
    .map((r) => r.id);
}

/** Ids of the results with `status`. */
export const byStatus = (results: readonly CaseResult[], status: CaseResult["status"]): string[] =>
  results.filter((r) => r.status === status).map((r) => r.id);

/** The built-in targets of targets.yaml by the iSHARE version they apply. */
export const REFERENCE_BY_VERSION: Readonly<Record<IshareVersion, string>> = {
  "2.0": "reference",
  "2.1": "reference-2.1",
  "3.0": "reference-3.0",
};

/** The target a fault's primary proof runs on: its own `target`, else `reference` or, without 2.0, 2.1's. */
export function primaryTarget(spec: FaultSpec): string {
  const versions = spec.versions;
  return spec.target ?? (versions && !versions.includes("2.0") ? "reference-2.1" : "reference");
}

/** The version of a built-in target (the chaos targets are 2.0). */
function versionOf(targetName: string): IshareVersion {
  const found = ISHARE_VERSIONS.find((version) => REFERENCE_BY_VERSION[version] === targetName);
  return found ?? "2.0";
}

/**
 * Plants `fault` in `targetName` and expects exactly its cases at that version to fail (`caughtByAt`), exactly
 * its `breaks` to be broken, every other case of `suites` (default all) to pass.
 */
async function proveFault(
  fault: FaultName,
  spec: FaultSpec,
  targetName: string,
  suites: readonly string[] | undefined,
): Promise<void> {
  const chaos = targetName === CHAOS_TARGET;
  const started = performance.now();
  const results = await runReference(targetName, [fault], {
    ...(chaos ? { caseTimeoutMs: CHAOS_CASE_TIMEOUT_MS, ...chaosProofRun(fault) } : {}),
    ...(suites ? { suites } : {}),
    ...(spec.strict ? { strict: true } : {}),
  });
  const elapsed = performance.now() - started;
  const caughtBy = caughtByAt(spec, versionOf(targetName));
  const ran = results.filter((r) => r.status !== "skipped").map((r) => r.id);
  // Only cases that ran can break: a version-limited token-dependent case is skipped on this target.
  const direct =
    spec.breaks === "all"
      ? ran
      : [...(spec.breaks ?? []), ...(spec.breaksTokenCases ? tokenDependentCases() : [])].filter((id) =>
          ran.includes(id),
        );
  // A negative whose positive control the fault made fail (refused) or break is not judged: broken too.
  const gated = notJudgedBecauseOf(results, new Set([...direct, ...caughtBy]));
  const breaks = [...new Set([...direct, ...gated])];
  const why = results
    .filter((r) => r.status === "broken" || r.status === "failed")
    .map((r) => `${r.id} ${r.status}: ${r.message.slice(0, 240)}`)
    .join("\n");
  expect(byStatus(results, "broken").sort(), why).toEqual(breaks.sort());
  expect(byStatus(results, "failed").sort(), why).toEqual([...caughtBy].sort());
  if (spec.reason !== undefined) {
    const affected = results.filter((r) => r.status === "failed" || r.status === "broken");
    for (const result of affected) expect(result.message, result.id).toContain(spec.reason);
  }
  if (chaos) expect(elapsed, `${fault} took ${Math.round(elapsed)} ms`).toBeLessThan(CHAOS_RUN_BOUND_MS);
}

/** The faults whose name `select` accepts, with their specs, in catalogue order. */
function selectFaults(select: (name: FaultName) => boolean): Array<[FaultName, FaultSpec]> {
  return (Object.entries(FAULTS) as Array<[FaultName, FaultSpec]>).filter(([name]) => select(name));
}

/**
 * One concurrent test per fault whose name `select` accepts, on its primary target; `suites` narrows the suites
 * run (default all).
 */
export function describeFaultMatrix(
  title: string,
  select: (name: FaultName) => boolean,
  suites?: readonly string[],
): void {
  describe(`fault matrix (${title}): each fault is caught by its cases and only by them`, () => {
    test.concurrent.each(selectFaults(select))(
      "%s",
      (fault, spec) => proveFault(fault, spec, primaryTarget(spec), suites),
      Math.max(REFERENCE_RUN_TEST_TIMEOUT_MS, CHAOS_RUN_BOUND_MS + 60_000),
    );
  });
}

/** The suite each case id belongs to. */
function suiteOfCase(): Map<string, string> {
  return new Map(loadSuites().flatMap((suite) => suite.cases.map((c) => [c.id, suite.suite] as const)));
}

/**
 * The suites a fault's proof at another version runs: those of the cases it names at any version, and every suite
 * but oidc when it breaks token-dependent cases or every case. Lean by design: the primary run (every suite of its
 * file) proves that no other case fails, and only the token.* faults bend the token endpoint (the other families'
 * faults are read by their own endpoints), so the token suite runs for the faults that name its cases.
 */
export function suitesReachedBy(spec: FaultSpec): string[] {
  const all = loadSuites().map((suite) => suite.suite);
  if (spec.breaks === "all" || spec.breaksTokenCases) return all.filter((name) => name !== OIDC_SUITE);
  const suiteOf = suiteOfCase();
  const named = [
    ...spec.caughtBy,
    ...Object.values(spec.caughtByVersion ?? {}).flat(),
    ...(spec.breaks ?? []),
  ];
  const wanted = new Set(named.flatMap((id) => suiteOf.get(id) ?? []));
  return all.filter((name) => wanted.has(name));
}

/**
 * The targets (one per version) a fault applies to beyond its primary one: every version of its `versions`
 * (absent: all) but the primary target's; none for a fault with a target of its own (chaos) other than a
 * versioned reference.
 */
export function otherVersionTargets(spec: FaultSpec): string[] {
  const primary = primaryTarget(spec);
  if (!Object.values(REFERENCE_BY_VERSION).includes(primary)) return [];
  return (spec.versions ?? ISHARE_VERSIONS)
    .map((version) => REFERENCE_BY_VERSION[version])
    .filter((target) => target !== primary);
}

/**
 * One concurrent test per fault whose name `select` accepts and per version it applies to beyond its primary
 * target, each run on the suites it can reach (`suitesReachedBy`) unless `suites` is given.
 */
export function describeFaultMatrixAcrossVersions(
  title: string,
  select: (name: FaultName) => boolean,
  suites?: readonly string[],
): void {
  describe(`fault matrix (${title}) at the other versions: each fault is caught by its cases there`, () => {
    const runs = selectFaults(select).flatMap(([fault, spec]) =>
      otherVersionTargets(spec).map((target) => [`${fault} on ${target}`, fault, spec, target] as const),
    );
    test.concurrent.each(runs)(
      "%s",
      (_title, fault, spec, target) => proveFault(fault, spec, target, suites ?? suitesReachedBy(spec)),
      REFERENCE_RUN_TEST_TIMEOUT_MS,
    );
  });
}

/** The token endpoint's faults (one proof file); every other family goes to the other. */
export const isTokenFault = (name: string): boolean => name.startsWith("token.");

/** The chaos faults (hostile targets): a proof file of their own. */
export const isChaosFault = (name: string): boolean => name.startsWith("chaos.");

/** The Identity Provider's faults (suite oidc): a proof file of their own. */
export const isOidcFault = (name: string): boolean => name.startsWith("oidc.");

/** The suite of the Identity Provider role. */
export const OIDC_SUITE = "oidc";

/**
 * Every suite but oidc: the other families' faults are proven without the (slow, multi-step) OIDC cases;
 * fault-matrix-oidc.test.ts proves in one run that none of those faults reaches an OIDC case.
 */
export function suitesWithoutOidc(): string[] {
  return loadSuites()
    .map((suite) => suite.suite)
    .filter((name) => name !== OIDC_SUITE);
}
