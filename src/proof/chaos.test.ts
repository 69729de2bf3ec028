/**
 * What the fault matrix cannot show on its own about hostile targets: the JWT chaos faults judged by a probe
 * of the capabilities_token (no shipped suite reads it yet), links the harness must never follow (redirects,
 * jku / x5u) checked against a canary that counts visits, --insecure, bounded memory under a 200 MB body,
 * and the case and run deadlines against a target that never answers.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prepareRun } from "../cli/builtin-target.ts";
import { type PreparedRun, type RunOptions, runAll } from "../engine/index.ts";
import type { CaseResult } from "../model/result.ts";
import { FAULTS, type FaultName, type FaultSpec } from "../reference/index.ts";
import { chaosProofRun } from "./fault-matrix.fixture.ts";

const PROBE_SUITES = fileURLToPath(new URL("./chaos-probe/", import.meta.url));
const JWT_FAULTS = Object.keys(FAULTS).filter((name) => name.startsWith("chaos.jwt-")) as FaultName[];
/** Chaos of the token endpoint's successful answers (the access-token precondition of PROBE-002). */
const TOKEN_FAULTS = Object.entries(FAULTS)
  .filter(
    ([name, spec]) =>
      name.startsWith("chaos.") &&
      !name.startsWith("chaos.jwt-") &&
      (spec as FaultSpec).breaks !== "all" &&
      (spec as FaultSpec).breaksTokenCases === true,
  )
  .map(([name]) => name as FaultName);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "chaos-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Hang detector only: no verdict rests on how long a run took (a loaded machine is slow, not wrong). */
const HANG_MS = 240_000;

/**
 * Runs every case on the chaos proofs' target for the (first) fault, then asks the reference how often its
 * canary was visited; measures the run.
 */
async function runChaos(
  options: Partial<RunOptions> & { faults: readonly string[] },
): Promise<{ results: CaseResult[]; canaryHits: number; elapsedMs: number; run: PreparedRun }> {
  const run = await prepareRun({
    ...chaosProofRun(options.faults[0] ?? ""),
    caseTimeoutMs: 60_000,
    ...options,
  });
  const started = performance.now();
  try {
    const results = await runAll(run);
    const elapsedMs = performance.now() - started;
    const hits = await fetch(`${run.target.baseUrl}/chaos/canary-hits`).then(
      async (response) => ((await response.json()) as { hits: number }).hits,
      () => -1,
    );
    return { results, canaryHits: hits, elapsedMs, run };
  } finally {
    await run.close();
  }
}

describe("JWT chaos: hostile capabilities tokens, judged by a capabilities_token probe", () => {
  test(
    "the probe passes against the conformant reference target (it is a fair judge)",
    async () => {
      const { results } = await runChaos({ faults: [], suitesDir: PROBE_SUITES });
      expect(results.map((r) => [r.id, r.status, r.message])).toEqual([
        ["PROBE-001", "passed", ""],
        ["PROBE-002", "passed", ""],
      ]);
    },
    HANG_MS,
  );

  test.concurrent.each(JWT_FAULTS)(
    "%s fails the probe, naming the behaviour, without any fetch",
    async (fault) => {
      const spec: FaultSpec = FAULTS[fault];
      const { results, canaryHits, elapsedMs } = await runChaos({ faults: [fault], suitesDir: PROBE_SUITES });
      expect(results).toHaveLength(2);
      for (const probe of results) {
        expect(probe.status, probe.message).toBe("failed");
        expect(probe.message).toContain(spec.reason);
      }
      expect(canaryHits).toBe(0);
      expect(elapsedMs).toBeLessThan(HANG_MS);
    },
    HANG_MS + 60_000,
  );
});

describe("token chaos seen from a case that needs an access token", () => {
  // What every {{token}} case of a suite meets when the token endpoint misbehaves: broken, with the same reason.
  test.concurrent.each(TOKEN_FAULTS)(
    "%s breaks PROBE-002 naming the behaviour; PROBE-001 passes",
    async (fault) => {
      const spec: FaultSpec = FAULTS[fault];
      const { results, canaryHits, elapsedMs } = await runChaos({
        faults: [fault],
        suitesDir: PROBE_SUITES,
      });
      expect(results.map((r) => [r.id, r.status])).toEqual([
        ["PROBE-001", "passed"],
        ["PROBE-002", "broken"],
      ]);
      expect(results[1]?.message).toMatch(
        /precondition failed: (obtaining an access token|could not obtain an access token|the target refused the valid token request)/,
      );
      expect(results[1]?.message).toContain(spec.reason);
      expect(canaryHits).toBe(0);
      expect(elapsedMs).toBeLessThan(HANG_MS);
    },
    HANG_MS + 60_000,
  );
});

describe("links the harness must never follow", () => {
  test(
    "a redirect to another host is judged as the answer, never followed: the canary stays unvisited",
    async () => {
      const { results, canaryHits } = await runChaos({
        faults: ["chaos.redirect-other-host"],
        suites: ["token"],
      });
      const failed = results.filter((r) => r.status === "failed");
      expect(failed.map((r) => r.id)).toEqual(["TOKEN-001"]);
      // The valid request was not accepted: no negative token case can be judged, none passes.
      const negatives = results.filter((r) => r.tags.includes("negative") && r.status !== "skipped");
      expect(negatives.length).toBeGreaterThan(30);
      expect(negatives.filter((r) => r.notJudged?.control !== "TOKEN-001").map((r) => r.id)).toEqual([]);
      expect(failed[0]?.message).toMatch(/saw 307 \(a redirect to http:\/\/localhost:\d+\/chaos\/canary;/);
      expect(canaryHits).toBe(0);
    },
    HANG_MS,
  );
});

describe("TLS", () => {
  test(
    "--insecure makes a self-signed server certificate pass, and the run says so loudly",
    async () => {
      const { results, run } = await runChaos({ faults: ["chaos.tls-self-signed"], insecure: true });
      expect(run.target.baseUrl).toMatch(/^https:\/\//);
      expect(results.filter((r) => r.status === "broken" || r.status === "failed")).toEqual([]);
      expect(run.notices).toContainEqual(
        expect.stringMatching(/^TLS certificate verification is OFF \(--insecure\)/),
      );
    },
    HANG_MS,
  );
});

describe("memory stays bounded", () => {
  test(
    "a 200 MB body is cut at the cap: the case fails, memory grows by a few MB, not 200",
    async () => {
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      try {
        const { results } = await runChaos({
          faults: ["chaos.huge-body"],
          suites: ["token"],
          grep: "TOKEN-001",
        });
        expect(results[0]?.status).toBe("failed");
        expect(results[0]?.message).toContain("larger than the 5242880-byte cap");
        expect(results[0]?.steps[0]?.response?.truncated).toBe(true);
      } finally {
        clearInterval(sampler);
      }
      const grownMb = (peak - baseline) / 1024 / 1024;
      console.info(
        `chaos.huge-body: peak RSS +${grownMb.toFixed(1)} MB over ${(baseline / 1024 / 1024).toFixed(0)} MB`,
      );
      expect(grownMb).toBeLessThan(100);
    },
    HANG_MS,
  );
});

describe("deadlines", () => {
  /** A reference target that waits ten minutes for headers: only the case and run deadlines can stop a case. */
  async function patientTargets(): Promise<string> {
    const file = join(dir, "patient.yaml");
    await writeFile(
      file,
      "targets:\n  patient:\n    builtin: reference\n    http: { headersTimeoutMs: 600000, bodyTimeoutMs: 600000, discoveryTimeoutMs: 1000 }\n",
    );
    return file;
  }

  test(
    "--case-timeout ends a case stuck on a silent target as broken, naming the deadline; its negatives are not judged",
    async () => {
      const run = await prepareRun({
        targetsFile: await patientTargets(),
        targetName: "patient",
        faults: ["chaos.never-answers"],
        suites: ["token"],
        // Long enough for every answered case even on a loaded machine, far below the 10-minute header wait.
        caseTimeoutMs: 20_000,
      });
      const started = performance.now();
      try {
        const results = await runAll(run);
        const broken = results.filter((r) => r.status === "broken");
        expect(broken.map((r) => r.id)).toEqual(
          results.filter((r) => r.status !== "skipped").map((r) => r.id),
        );
        expect(
          broken.filter((r) => r.id !== "TOKEN-001").every((r) => r.notJudged?.control === "TOKEN-001"),
        ).toBe(true);
        for (const result of broken)
          expect(result.message).toContain("case timeout of 20 s reached (--case-timeout)");
        expect(results.filter((r) => r.status === "failed")).toEqual([]);
        // Far below the 10-minute header wait: the case deadline, not the HTTP timeout, ended them.
        expect(performance.now() - started).toBeLessThan(200_000);
      } finally {
        await run.close();
      }
    },
    HANG_MS,
  );

  test(
    "--timeout ends the run: the case under way and every case not started are broken 'run deadline reached'",
    async () => {
      const run = await prepareRun({
        targetsFile: await patientTargets(),
        targetName: "patient",
        faults: ["chaos.never-answers"],
        suites: ["token"],
        timeoutMs: 1_500,
        concurrency: 1,
      });
      const started = performance.now();
      try {
        const results = await runAll(run, 1);
        const elapsed = performance.now() - started;
        const tokenOne = results.find((r) => r.id === "TOKEN-001");
        expect(tokenOne?.status).toBe("broken");
        expect(tokenOne?.message).toContain(
          "run deadline reached: the run took longer than 1.5 s (--timeout)",
        );
        const notStarted = results.filter((r) => r.message.endsWith("this case was not started"));
        expect(notStarted.length).toBeGreaterThan(30);
        expect(notStarted.every((r) => r.status === "broken")).toBe(true);
        expect(elapsed).toBeLessThan(200_000);
      } finally {
        await run.close();
      }
    },
    HANG_MS,
  );
});
