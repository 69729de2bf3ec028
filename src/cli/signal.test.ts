/**
 * A real SIGTERM to a real `ishare-conformance run` process, while two cases hang on a target that never
 * answers: the process stops sending, writes what completed (summary.json, junit.xml, allure results,
 * results.jsonl) and exits 130 promptly, with no report left half-written.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunSummary } from "../report/index.ts";
import { UNFINISHED_MESSAGE } from "../report/junit.ts";

const BIN = fileURLToPath(new URL("./bin.js", import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "signal-"));
  // Headers may take ten minutes: only the interrupt can end the two hanging cases, however slow the machine.
  // Discovery (which a silent target cannot answer) gives up after a second instead of 30 s.
  await writeFile(
    join(dir, "targets.yaml"),
    "targets:\n  patient:\n    builtin: reference\n    http: { headersTimeoutMs: 600000, bodyTimeoutMs: 600000, discoveryTimeoutMs: 1000 }\n",
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The environment without this test run's own vitest variables (the child starts a vitest of its own). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: "1" };
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_OPTIONS$)/.test(name)) env[name] = value;
  }
  return env;
}

/** Starts `ishare-conformance run` on the patient target with `args`; output collected, exit awaited. */
function spawnRun(args: readonly string[], out: string) {
  const child = spawn(
    process.execPath,
    [BIN, "run", "--target", "patient", "--fault", "chaos.never-answers", "--out", out, ...args],
    { cwd: dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output, exited };
}

/** Waits (generously: a loaded machine starts vitest slowly) until `ready` holds. */
async function waitFor(ready: () => Promise<boolean> | boolean, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const exists = (path: string): Promise<boolean> =>
  readFile(path).then(
    () => true,
    () => false,
  );

describe.concurrent("SIGTERM before any case finished", () => {
  test("exits 130 and no case reads as passed: unfinished cases are skipped in junit.xml", async () => {
    // One case at a time: TOKEN-001 hangs on the silent token endpoint, every other case waits unstarted.
    const out = join(dir, "early");
    const run = spawnRun(["--suite", "token", "--concurrency", "1", "--case-timeout", "10m"], out);
    await waitFor(() => exists(join(out, "run.json")), "run.json (the run is prepared)");
    run.child.kill("SIGTERM");
    const code = await run.exited;
    expect(code, run.output.stderr).toBe(130);
    const junit = await readFile(join(out, "junit.xml"), "utf8");
    const testcases = junit.split("<testcase ").slice(1);
    const planned = Number(/: (\d+) cases against/.exec(run.output.stdout)?.[1]);
    expect(planned).toBeGreaterThan(40);
    expect(testcases).toHaveLength(planned);
    for (const testcase of testcases)
      expect(testcase).toContain(`<skipped message="${UNFINISHED_MESSAGE}"/>`);
    const summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.cases).toEqual([]);
    expect(summary.notices).toContain(`interrupted: ${planned} of ${planned} cases did not finish`);
  }, 300_000);

  test("a second SIGTERM quits at once and leaves no report half written", async () => {
    const out = join(dir, "twice");
    const run = spawnRun(["--suite", "token", "--concurrency", "1", "--case-timeout", "10m"], out);
    await waitFor(() => exists(join(out, "run.json")), "run.json (the run is prepared)");
    run.child.kill("SIGTERM");
    await waitFor(() => run.output.stderr.includes("Stopping…"), "the first SIGTERM to be heard");
    run.child.kill("SIGTERM");
    expect(await run.exited, run.output.stderr).toBe(130);
    // Each report is either absent or whole: never a 0-byte or cut-off file.
    const junit = await readFile(join(out, "junit.xml"), "utf8").catch(() => undefined);
    if (junit !== undefined) {
      expect(junit.startsWith("<?xml")).toBe(true);
      expect(junit.trimEnd().endsWith("</testsuites>")).toBe(true);
    }
    const summary = await readFile(join(out, "summary.json"), "utf8").catch(() => undefined);
    if (summary !== undefined) expect(() => JSON.parse(summary)).not.toThrow();
  }, 300_000);
});

describe("SIGTERM during a run", () => {
  test("exits 130 within seconds, keeping every finished case in every report", async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        "run",
        "--target",
        "patient",
        "--fault",
        "chaos.never-answers",
        "--suite",
        "token",
        "--case-timeout",
        "10m",
        "--out",
        "out",
      ],
      { cwd: dir, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    // The token endpoint never answers a valid request: TOKEN-001 hangs, and so do the token negatives waiting
    // for it (their positive control); only the skipped TOKEN-002 finishes (results.jsonl gets each case as it
    // ends; vitest's console progress may lag behind it): then interrupt.
    // Generous: under a loaded `npm test` the child needs a while to start vitest and make its PKI.
    const FINISHING = 1;
    const finished = async (): Promise<number> =>
      (await readFile(join(dir, "out", "results.jsonl"), "utf8").catch(() => "")).split("\n").filter(Boolean)
        .length;
    const deadline = Date.now() + 120_000;
    while ((await finished()) < FINISHING && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await finished(), stdout + stderr).toBe(FINISHING);
    const planned = Number(/: (\d+) cases against/.exec(stdout)?.[1]);
    const notFinished = `interrupted: ${planned - FINISHING} of ${planned} cases did not finish`;
    const signalled = performance.now();
    child.kill("SIGTERM");
    const code = await exited;
    const stoppedMs = performance.now() - signalled;

    expect(code, stderr).toBe(130);
    // Far below the 10-minute case timeout the hanging cases would otherwise wait out.
    expect(stoppedMs).toBeLessThan(60_000);
    expect(stderr).toContain("Stopping…");

    const out = join(dir, "out");
    const summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as RunSummary;
    expect(summary.cases).toHaveLength(FINISHING);
    expect(summary.notices).toContain(notFinished);
    const lines = (await readFile(join(out, "results.jsonl"), "utf8")).trim().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id).sort()).toEqual(
      summary.cases.map((c) => c.id).sort(),
    );
    const junit = await readFile(join(out, "junit.xml"), "utf8");
    expect(junit.startsWith("<?xml")).toBe(true);
    expect(junit.trimEnd().endsWith("</testsuites>")).toBe(true);
    const allure = (await readdir(join(out, "allure-results"))).filter((name) =>
      name.endsWith("-result.json"),
    );
    expect(allure.length).toBeGreaterThanOrEqual(FINISHING);
    for (const name of allure) JSON.parse(await readFile(join(out, "allure-results", name), "utf8"));
    expect(stdout).toContain(`notice: ${notFinished}`);
  }, 300_000);
});
