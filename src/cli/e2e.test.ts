import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkRunOptions } from "../engine/index.ts";
import { FAULTS } from "../reference/index.ts";
import type { RunSummary } from "../report/index.ts";
import { captureIo } from "./capture-io.fixture.ts";
import { main } from "./main.ts";
import { PACKAGE_ROOT } from "./package-info.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-e2e-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readSummary = async (out: string): Promise<RunSummary> =>
  JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as RunSummary;

describe("ishare-conformance run against the built-in reference target", () => {
  it("passes the token suite and writes summary, JUnit and the HTML report", async () => {
    const out = join(dir, "clean");
    const io = captureIo(PACKAGE_ROOT);
    const code = await main(["run", "--target", "reference", "--out", out, "--suite", "token"], io);
    expect(io.err()).toBe("");
    expect(code).toBe(0);

    const summary = await readSummary(out);
    const planned = Number(/: (\d+) cases? against "reference"/.exec(io.out())?.[1]);
    expect(summary.cases).toHaveLength(planned);
    expect(summary.totals.failed + summary.totals.broken).toBe(0);
    expect(summary.totals.passed + summary.totals.skipped).toBe(planned);
    expect(summary.totals.passed).toBeGreaterThan(0);
    expect(summary.cases.every((c) => c.suite === "token" && c.ref.includes(" — https://"))).toBe(true);

    const junit = await readFile(join(out, "junit.xml"), "utf8");
    expect(junit.match(/<testcase /g)).toHaveLength(planned);
    await access(join(out, "allure-report", "index.html"));
    expect(io.out()).toContain(`total    ${planned}`);
  });

  it("catches a planted fault: exit 1, exactly the cases the fault names fail", async () => {
    const out = join(dir, "fault");
    const io = captureIo(PACKAGE_ROOT);
    const code = await main(["run", "--out", out, "--suite", "token", "--fault", "token.accepts-get"], io);
    expect(code).toBe(1);
    const summary = await readSummary(out);
    const failed = summary.cases.filter((c) => c.status === "failed").map((c) => c.id);
    expect(failed).toEqual([...FAULTS["token.accepts-get"].caughtBy]);
    expect(summary.totals.broken).toBe(0);
    expect(io.out()).toMatch(/^FAIL +TOKEN-003 /m);
  });
});

describe("ishare-conformance serve", () => {
  it("serves until interrupted and prints a targets.yaml entry that loads", async () => {
    const io = captureIo(dir);
    const serving = main(["serve", "--pki-dir", "served-pki"], io);
    await io.waitForOut("Press Ctrl-C to stop.");
    const baseUrl = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1];
    expect(baseUrl).toBeDefined();
    const yamlText = io.out().slice(io.out().indexOf("targets:\n"), io.out().indexOf("\nPress Ctrl-C"));
    const entry = parse(yamlText) as { targets: { served: { baseUrl: string; partyId: string } } };
    expect(entry.targets.served.baseUrl).toBe(baseUrl);
    const targetsFile = join(dir, "served.yaml");
    await writeFile(targetsFile, yamlText);
    const checked = await checkRunOptions({ targetsFile, targetName: "served" });
    expect(checked.caseCount).toBeGreaterThan(0);
    const capabilities = await fetch(`${baseUrl}/capabilities`);
    expect(capabilities.status).toBeLessThan(500);
    await capabilities.arrayBuffer();

    io.interruptNow();
    expect(await serving).toBe(0);
    expect(io.out()).toContain("Reference target stopped.");
    await expect(fetch(`${baseUrl}/capabilities`)).rejects.toThrow();
    expect(io.out()).not.toContain("PRIVATE KEY");
  });
});
