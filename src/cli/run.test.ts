import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../report/index.ts";
import { captureIo } from "./capture-io.fixture.ts";
import { conductRun, exitCodeFor } from "./run.ts";

const SCRIPTED = fileURLToPath(new URL("../report/scripted-engine.fixture.ts", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-run-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const summary = (totals: RunSummary["totals"], cases = 1): RunSummary => ({
  target: "t",
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 1,
  harness: { name: "ishare-conformance", version: "0.0.0" },
  secrets: "redacted",
  totals,
  targets: [],
  notJudged: 0,
  cases: Array.from({ length: cases }, (_, i) => ({
    target: "t",
    id: `T-${i}`,
    suite: "s",
    title: "x",
    ref: "r",
    status: "passed",
    durationMs: 1,
    message: "",
  })),
  notices: [],
});

describe("exit codes", () => {
  const clean = { passed: 3, failed: 0, broken: 0, skipped: 2 };
  it.each([
    ["all passed, some skipped", { interrupted: false, problems: [], summary: summary(clean) }, 0],
    ["a failed case", { interrupted: false, problems: [], summary: summary({ ...clean, failed: 1 }) }, 1],
    ["a broken case", { interrupted: false, problems: [], summary: summary({ ...clean, broken: 1 }) }, 1],
    ["no case ran", { interrupted: false, problems: [], summary: summary(clean, 0) }, 1],
    [
      "a harness problem",
      {
        interrupted: false,
        problems: [{ where: "w", name: "TypeError", message: "m" }],
        summary: summary(clean),
      },
      1,
    ],
    [
      "a configuration problem in the worker",
      {
        interrupted: false,
        problems: [{ where: "w", name: "ConfigError", message: "m", code: "KEY" }],
        summary: summary(clean),
      },
      2,
    ],
    ["an interruption", { interrupted: true, problems: [], summary: summary(clean) }, 130],
  ] as const)("%s", (_, outcome, code) => {
    expect(exitCodeFor(outcome)).toBe(code);
  });
});

describe("conductRun (scripted engine)", () => {
  it("prints the cases, the totals table and where the reports are; exits 1 on failed and broken cases", async () => {
    const io = captureIo(dir);
    const code = await conductRun({
      runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "scripted" },
      outDir: join(dir, "out"),
      engineModule: SCRIPTED,
      heading: "4 cases",
      io,
    });
    expect(code).toBe(1);
    const out = io.out();
    expect(out).toMatch(/^ishare-conformance \S+: 4 cases\n/);
    expect(out).toContain("passed   1\nfailed   1\nbroken   1\nskipped  1\ntotal    4\nduration ");
    expect(out).toContain("notice: scripted engine: no target contacted");
    expect(out).toContain(
      "  html     out/allure-report/index.html\n  junit    out/junit.xml\n  summary  out/summary.json\n",
    );
    expect(io.err()).toBe("");
  });

  it("exits 2 with the message alone when prepareRun throws a ConfigError in the worker", async () => {
    const io = captureIo(dir);
    const code = await conductRun({
      runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "bad-config" },
      outDir: join(dir, "out-bad"),
      engineModule: SCRIPTED,
      heading: "?",
      io,
    });
    expect(code).toBe(2);
    expect(io.err()).toBe(
      `ishare-conformance: ${join(dir, "targets.yaml")}: targets.bad-config.baseUrl: must be a URL; fix the value\n`,
    );
  });

  it("exits 130 when interrupted, keeping the cases that finished", async () => {
    const io = captureIo(dir);
    const running = conductRun({
      runOptions: { targetsFile: join(dir, "targets.yaml"), targetName: "slow", concurrency: 1 },
      outDir: join(dir, "out-slow"),
      engineModule: SCRIPTED,
      heading: "slow",
      io,
    });
    await io.waitForOut("PASS   FIX-001");
    io.interruptNow();
    expect(await running).toBe(130);
    const written = JSON.parse(await readFile(join(dir, "out-slow", "summary.json"), "utf8")) as RunSummary;
    expect(written.cases.length).toBeGreaterThanOrEqual(1);
    expect(written.cases.length).toBeLessThan(4);
    expect(written.notices).toContainEqual(
      expect.stringMatching(/^interrupted: \d of 4 cases did not finish$/),
    );
    expect(io.out()).not.toContain("  html ");
  });
});
