import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "../cli/capture-io.fixture.ts";
import { PACKAGE_ROOT } from "../cli/package-info.ts";
import { exitCodeFor } from "../cli/run.ts";
import { externalFetches } from "./allure-generate.ts";
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
  statusDetails: { message?: string };
  steps: {
    name: string;
    status?: string;
    parameters: { name: string; value: string }[];
    attachments: { name: string }[];
    steps: { name: string; status?: string }[];
  }[];
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
    const lines = stdout.trim().split("\n");
    // Progress counts up over the planned cases.
    expect(lines.map((line) => line.slice(0, 5))).toEqual(["[1/4]", "[2/4]", "[3/4]", "[4/4]"]);
    expect(lines.map((line) => line.slice(6)).sort()).toEqual([
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

  it("writes JUnit that tells failed from broken, gives skip reasons, properties and the summary's durations", async () => {
    const junit = await readFile(outcome.paths.junit, "utf8");
    expect(junit.match(/<testcase /g)).toHaveLength(4);
    // One testsuite per target and suite.
    expect(junit.match(/<testsuite name="[^"]*"/g)).toEqual([
      '<testsuite name="scripted / token"',
      '<testsuite name="scripted / capabilities"',
    ]);
    expect(junit).toContain(
      '<testsuites name="ishare-conformance" tests="4" failures="1" errors="1" skipped="1"',
    );
    expect(junit).toContain(
      '<testcase name="FIX-001 Valid request" classname="ishare-conformance.scripted.token" time="0.003"/>',
    );
    expect(junit).toContain(
      '<failure message="expected HTTP 400, got 200 (client assertion aud)" type="failed">',
    );
    expect(junit).toContain(
      '<error message="client assertion could not be sent: ECONNREFUSED" type="broken">',
    );
    expect(junit).toContain('<skipped message="target has no capabilities endpoint"/>');
    expect(junit).toContain('<property name="target" value="scripted"/>');
    expect(junit).toContain('<property name="secrets" value="redacted"/>');
    expect(junit).toContain('<property name="notice.1" value="scripted engine: no target contacted"/>');
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
      type: "link",
    });
    expect(passed.description).toContain("Cache-Control should be no-store");
    const [step] = passed.steps;
    expect(step?.name).toBe("POST /connect/token");
    expect(step!.steps.map((s) => `${s.name}: ${s.status}`)).toEqual([
      "✓ StatusIs400: status 400: passed",
      // An unmet SHOULD is a warning, not an error.
      "⚠ warning (SHOULD) NoStore: Cache-Control missing: passed",
    ]);
    expect(step!.attachments.map((a) => a.name)).toEqual([
      "request",
      "response",
      "response body",
      "JWT: client_assertion",
    ]);
  });

  it("names a step after its request and defect, states the failure once, keeps vitest out of the labels", async () => {
    const failed = (await allureResults(outcome.paths.allureResults)).get("FIX-002 Wrong aud")!;
    expect(failed.steps.map((s) => s.name)).toEqual([
      'POST /connect/token with assertion defect "wrong-aud"',
    ]);
    expect(failed.steps[0]!.parameters).toEqual([
      { name: "defect", value: "wrong-aud: aud is another party's id (EU.EORI.NL999999999)" },
    ]);
    expect(failed.description).toContain("wrong-aud: aud is another party's id");
    expect(failed.statusDetails).toEqual({ message: "expected HTTP 400, got 200 (client assertion aud)" });
    expect(JSON.stringify(failed.steps)).not.toContain("statusDetails");
    const names = new Set(failed.labels.map((l) => l.name));
    for (const internal of ["framework", "language", "host", "thread", "package"]) {
      expect(names.has(internal)).toBe(false);
    }
    const skipped = (await allureResults(outcome.paths.allureResults)).get("FIX-010 Signed capabilities")!;
    expect(skipped.steps).toEqual([]);
    expect(skipped.statusDetails).toEqual({ message: "target has no capabilities endpoint" });
  });

  it("records the run context: summary.json, allure environment", async () => {
    const summary = JSON.parse(await readFile(outcome.paths.summary, "utf8"));
    expect(summary.harness).toEqual({ name: "ishare-conformance", version: expect.any(String) });
    expect(summary.secrets).toBe("redacted");
    expect(summary.targets).toEqual([
      expect.objectContaining({
        name: "scripted",
        faults: [],
        notices: ["scripted engine: no target contacted"],
        totals: { passed: 1, failed: 1, broken: 1, skipped: 1 },
      }),
    ]);
    const environment = await readFile(join(outcome.paths.allureResults, "environment.properties"), "utf8");
    expect(environment).toContain("target = scripted\n");
    expect(environment).toContain("secrets = redacted\n");
  });

  it("generates the HTML report", async () => {
    expect(outcome.htmlReport).toBe(join(outcome.paths.allureReport, "index.html"));
    const html = await readFile(outcome.htmlReport!, "utf8");
    expect(html).toContain("<html");
    // One self-contained file: nothing beside it, no analytics, nothing external fetched at load.
    const beside = await readdir(outcome.paths.allureReport);
    expect(beside).toContain("index.html");
    expect(beside.filter((f) => /\.(js|css|woff2?)$/.test(f) || !f.includes("."))).toEqual([]);
    expect(html).not.toMatch(/googletagmanager|gtag\(/);
    expect(externalFetches(html)).toEqual([]);
    expect(html).toContain("window.allureReportData");
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
