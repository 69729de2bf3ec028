import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../cli/capture-io.fixture.ts";
import { PACKAGE_ROOT } from "../cli/package-info.ts";
import { exitCodeFor } from "../cli/run.ts";
import { type ConformanceRunOutcome, runConformance } from "./conformance-run.ts";

const SCRIPTED = fileURLToPath(new URL("./scripted-engine.fixture.ts", import.meta.url));

let dir: string;
let outcome: ConformanceRunOutcome;
let stdout: string;

interface AllureResult {
  name: string;
  status: string;
  labels: { name: string; value: string }[];
  links: { url: string; name?: string }[];
  description?: string;
  steps: { name: string; status?: string; steps: { name: string; status?: string }[] }[];
}

async function allureResults(resultsDir: string): Promise<Map<string, AllureResult>> {
  const byName = new Map<string, AllureResult>();
  for (const file of (await readdir(resultsDir)).filter((f) => f.endsWith("-result.json"))) {
    const result = JSON.parse(await readFile(join(resultsDir, file), "utf8")) as AllureResult;
    byName.set(result.name, result);
  }
  return byName;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "conformance-run-"));
  const io = captureIo(dir);
  outcome = await runConformance({
    root: PACKAGE_ROOT,
    runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "scripted" },
    outDir: join(dir, "out"),
    engineModule: SCRIPTED,
    out: io.stdout,
    err: io.stderr,
    colour: false,
    now: () => new Date("2025-03-01T12:00:00.000Z"),
  });
  stdout = io.out();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a run with one case per outcome (scripted engine)", () => {
  it("prints one line per case, nothing from vitest", () => {
    const lines = stdout.trim().split("\n").sort();
    expect(lines).toEqual([
      "BROKEN FIX-003 Unreachable (3 ms) — client assertion could not be sent: ECONNREFUSED",
      "FAIL   FIX-002 Wrong aud (3 ms) — expected HTTP 400, got 200 (client assertion aud)",
      "PASS   FIX-001 Valid request (3 ms) — 1 warning: Cache-Control should be no-store",
      "SKIP   FIX-010 Signed capabilities (3 ms) — target has no capabilities endpoint",
    ]);
  });

  it("writes summary.json with totals, notices and the frozen start", async () => {
    expect(outcome.problems).toEqual([]);
    const summary = JSON.parse(await readFile(outcome.paths.summary, "utf8"));
    expect(summary).toMatchObject({
      target: "scripted",
      startedAt: "2025-03-01T12:00:00.000Z",
      totals: { passed: 1, failed: 1, broken: 1, skipped: 1 },
      notices: ["scripted engine: no target contacted"],
    });
    expect(summary.cases.map((c: { id: string; status: string }) => `${c.id} ${c.status}`)).toEqual([
      "FIX-001 passed",
      "FIX-002 failed",
      "FIX-003 broken",
      "FIX-010 skipped",
    ]);
  });

  it("writes JUnit with one testcase per case: failures for failed and broken, skipped for skipped", async () => {
    const junit = await readFile(outcome.paths.junit, "utf8");
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    expect(junit).toContain(
      'classname="ishare-conformance.scripted" name="token &gt; FIX-001 Valid request"',
    );
    expect(junit.match(/<failure /g)).toHaveLength(2);
    expect(junit.match(/<skipped\/>/g)).toHaveLength(1);
  });

  it("gives Allure our outcomes, even when a broken case's message mentions an assertion", async () => {
    const results = await allureResults(outcome.paths.allureResults);
    expect([...results.values()].map((r) => `${r.name}: ${r.status}`).sort()).toEqual([
      "FIX-001 Valid request: passed",
      "FIX-002 Wrong aud: failed",
      "FIX-003 Unreachable: broken",
      "FIX-010 Signed capabilities: skipped",
    ]);
  });

  it("labels, links and describes each case, with a step per exchange and a sub-step per check", async () => {
    const passed = (await allureResults(outcome.paths.allureResults)).get("FIX-001 Valid request")!;
    const labels = passed.labels.map((l) => `${l.name}=${l.value}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        "parentSuite=scripted",
        "suite=token",
        "feature=token",
        "tag=positive",
        "ALLURE_ID=FIX-001",
      ]),
    );
    expect(passed.links).toContainEqual({
      url: "https://dev.ishare.eu/reference/access-token",
      name: "Access token (M2M) — Request",
    });
    expect(passed.description).toContain("Cache-Control should be no-store");
    const [step] = passed.steps;
    expect(step?.name).toBe("POST /connect/token");
    const checks = step!.steps.filter((s) => s.status !== undefined).map((s) => `${s.name}: ${s.status}`);
    expect(checks).toEqual([
      "StatusIs400: status 400: passed",
      "[should] NoStore: Cache-Control missing: broken",
    ]);
    const attachments = step!.steps.filter((s) => s.status === undefined).map((s) => s.name);
    expect(attachments).toEqual(["request", "response", "response body", "JWT: client_assertion"]);
  });

  it("generates the HTML report", async () => {
    expect(outcome.htmlReport).toBe(join(outcome.paths.allureReport, "index.html"));
    expect(await readFile(outcome.htmlReport!, "utf8")).toContain("<html");
  });
});

describe("a run whose entry fails to load", () => {
  it("reports the worker's ConfigError as a problem and pretends nothing", async () => {
    const io = captureIo(dir);
    const failed = await runConformance({
      root: PACKAGE_ROOT,
      runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "bad-config" },
      outDir: join(dir, "out-bad"),
      engineModule: SCRIPTED,
      out: io.stdout,
      err: io.stderr,
      colour: false,
    });
    expect(failed.problems).toEqual([
      expect.objectContaining({
        name: "ConfigError",
        code: "CONFIG",
        message: `${join(dir, "targets.yaml")}: targets.bad-config.baseUrl: must be a URL; fix the value`,
      }),
    ]);
    expect(failed.summary.cases).toEqual([]);
  });
});

describe("interrupts in every phase", () => {
  it("before any case: interrupted, summary.json says so, junit.xml is whole and lists no case", async () => {
    const io = captureIo(dir);
    const controller = new AbortController();
    controller.abort();
    const early = await runConformance({
      root: PACKAGE_ROOT,
      runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "scripted" },
      outDir: join(dir, "out-early"),
      engineModule: SCRIPTED,
      out: io.stdout,
      err: io.stderr,
      colour: false,
      signal: controller.signal,
    });
    expect(early.interrupted).toBe(true);
    const summary = JSON.parse(await readFile(early.paths.summary, "utf8"));
    expect(summary).toMatchObject({ cases: [], notices: ["interrupted before any case ran"] });
    const junit = await readFile(early.paths.junit, "utf8");
    expect(junit).toMatch(/^<\?xml[\s\S]*<testsuites [^>]*tests="0"[\s\S]*<\/testsuites>\n$/);
  });

  it("during the HTML generation: interrupted (exit 130), and no half-written HTML report is left", async () => {
    const io = captureIo(dir);
    const controller = new AbortController();
    const during = await runConformance({
      root: PACKAGE_ROOT,
      runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "scripted" },
      outDir: join(dir, "out-html"),
      engineModule: SCRIPTED,
      out: io.stdout,
      err: io.stderr,
      colour: false,
      signal: controller.signal,
      // A generator half-way through its output when the interrupt comes.
      html: async (options) => {
        await mkdir(options.reportDir, { recursive: true });
        await writeFile(join(options.reportDir, "index.html"), "<html><body>half");
        controller.abort();
        if (!options.signal?.aborted) throw new Error("the generator was not given the run's signal");
        throw new Error("killed");
      },
    });
    expect(during.interrupted).toBe(true);
    expect(exitCodeFor(during)).toBe(130);
    expect(during.htmlProblem).toBe("not generated (run interrupted)");
    expect(during.summary.cases).toHaveLength(4);
    expect(existsSync(during.paths.allureReport)).toBe(false);
    expect(existsSync(`${during.paths.allureReport}.partial`)).toBe(false);
  });
});
