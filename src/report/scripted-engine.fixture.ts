/**
 * Test fixture: an engine module with canned results, one case per outcome, so the reporting pipeline
 * (vitest, JUnit, Allure, summary) is tested without a target. Target "bad-config" makes prepareRun throw;
 * target "slow" makes every case take 300 ms (to interrupt a run half-way).
 */
import type { PlannedCase, PreparedRun, RunOptions } from "../engine/run.ts";
import { ConfigError } from "../errors.ts";
import type { CaseResult, Outcome, RuleRef, StepResult } from "../model/result.ts";
import type { ResolvedTarget } from "../model/target.ts";

const ref: RuleRef = {
  key: "token.request",
  title: "Access token (M2M) — Request",
  url: "https://dev.ishare.eu/reference/access-token",
  section: "Access token (M2M) — Request",
};

type Scripted = PlannedCase & { outcome: Outcome; message: string; warnings: string[] };

const PLAN: readonly Scripted[] = [
  {
    id: "FIX-001",
    suite: "token",
    title: "Valid request",
    feature: "token",
    ref,
    tags: ["positive"],
    outcome: "passed",
    message: "",
    warnings: ["Cache-Control should be no-store"],
  },
  {
    id: "FIX-002",
    suite: "token",
    title: "Wrong aud",
    feature: "token",
    ref,
    tags: ["negative"],
    outcome: "failed",
    message: "expected HTTP 400, got 200 (client assertion aud)",
    warnings: [],
  },
  {
    id: "FIX-003",
    suite: "token",
    title: "Unreachable",
    feature: "token",
    ref,
    tags: [],
    outcome: "broken",
    message: "client assertion could not be sent: ECONNREFUSED",
    warnings: [],
  },
  {
    id: "FIX-010",
    suite: "capabilities",
    title: "Signed capabilities",
    feature: "capabilities",
    ref,
    tags: [],
    outcome: "skipped",
    message: "target has no capabilities endpoint",
    warnings: [],
  },
];

const step = (ok: boolean): StepResult => ({
  name: "step 1",
  ...(ok ? {} : { defects: ["wrong-aud"] }),
  request: {
    method: "POST",
    url: "http://127.0.0.1:1/connect/token",
    headers: {},
    body: "grant_type=client_credentials",
  },
  response: {
    status: ok ? 400 : 200,
    headers: { "content-type": "application/json" },
    body: '{"error":"invalid_client"}',
    truncated: false,
    durationMs: 2,
  },
  checks: [
    { check: "StatusIs400", severity: "fail", ok, message: ok ? "status 400" : "expected 400, got 200", ref },
    { check: "NoStore", severity: "warn", ok: false, message: "Cache-Control missing", ref },
  ],
  jwts: [{ where: "client_assertion", header: { alg: "RS256" }, payload: { iss: "EU.EORI.NL000000001" } }],
});

/** Same shape as the engine's prepareRun. */
export async function prepareRun(options: RunOptions): Promise<PreparedRun> {
  if (options.targetName === "bad-config") {
    throw new ConfigError(
      "CONFIG",
      `${options.targetsFile}: targets.bad-config.baseUrl: must be a URL; fix the value`,
    );
  }
  const cases = PLAN.filter((c) => !options.suites || options.suites.includes(c.suite));
  // Only the fields the entry reads; a full ResolvedTarget needs keys and certificates this fixture does not have.
  const target = {
    name: options.targetName,
    concurrency: options.concurrency ?? 2,
  } as unknown as ResolvedTarget;
  return {
    target,
    cases,
    notices: ["scripted engine: no target contacted"],
    async runCase(planned: PlannedCase): Promise<CaseResult> {
      const plan = PLAN.find((c) => c.id === planned.id)!;
      if (options.targetName === "slow") await new Promise((resolve) => setTimeout(resolve, 300));
      return {
        id: plan.id,
        suite: plan.suite,
        title: plan.title,
        ref,
        tags: plan.tags,
        status: plan.outcome,
        message: plan.outcome === "passed" ? plan.warnings.join("; ") : plan.message,
        warnings: plan.warnings,
        startedAt: "2025-01-01T00:00:00.000Z",
        durationMs: 3,
        steps: plan.outcome === "skipped" ? [] : [step(plan.outcome !== "failed")],
      };
    },
    // Scripted cases have no positive controls to wait for.
    async beforeCase(): Promise<void> {},
    async close(): Promise<void> {},
  };
}
