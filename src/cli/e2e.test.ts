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
    expect(io.out()).toMatch(/^\[ *\d+\/\d+\] FAIL +TOKEN-003 /m);
  });
});

describe("ishare-conformance run with several targets", () => {
  it("runs --target a --target b,c side by side into one summary, one JUnit and one exit code", async () => {
    const out = join(dir, "several");
    const io = captureIo(PACKAGE_ROOT);
    const code = await main(
      [
        "run",
        "--target",
        "reference",
        "--target",
        "reference-2.1,reference-3.0",
        "--suite",
        "capabilities",
      ].concat(["--out", out, "--no-html", "--fault", "capabilities.kid-in-header"]),
      io,
    );
    expect(code).toBe(1);
    expect(io.out()).toMatch(/cases against 3 targets \(reference, reference-2\.1, reference-3\.0\)/);
    const summary = await readSummary(out);
    expect(summary.target).toBe("reference, reference-2.1, reference-3.0");
    expect(summary.targets.map((t) => [t.name, t.version, t.faults])).toEqual([
      ["reference", "2.0", ["capabilities.kid-in-header"]],
      ["reference-2.1", "2.1", ["capabilities.kid-in-header"]],
      ["reference-3.0", "3.0", ["capabilities.kid-in-header"]],
    ]);
    const perTarget = summary.targets.map((t) => t.totals.failed);
    expect(perTarget.every((failed) => failed > 0)).toBe(true);
    expect(summary.totals.failed).toBe(perTarget.reduce((a, b) => a + b, 0));
    expect(new Set(summary.cases.map((c) => c.target)).size).toBe(3);
    const junit = await readFile(join(out, "junit.xml"), "utf8");
    expect(junit.match(/<testsuite name="[^"]*"/g)).toEqual([
      '<testsuite name="reference / capabilities"',
      '<testsuite name="reference-2.1 / capabilities"',
      '<testsuite name="reference-3.0 / capabilities"',
    ]);
    // Console: target on each line, a recap of the failures, per-target totals.
    expect(io.out()).toMatch(/^\[ *\d+\/\d+\] FAIL +reference-3\.0 CAP-/m);
    expect(io.out()).toMatch(/cases? failed or broke:\n {2}FAIL +reference CAP-/);
    expect(io.out()).toMatch(/^reference-2\.1 +\d+ +[1-9]\d* +0 +\d+$/m);
    expect(io.out()).not.toContain("  html ");
  });

  it("refuses --all beside --target, and an unknown name among several", async () => {
    const io = captureIo(PACKAGE_ROOT);
    expect(await main(["run", "--all", "--target", "reference"], io)).toBe(2);
    expect(io.err()).toContain("give --target NAMES or --all, not both");
    const unknown = captureIo(PACKAGE_ROOT);
    expect(await main(["run", "--target", "reference,nope"], unknown)).toBe(2);
    expect(unknown.err()).toContain("nope");
  });
});

describe("ishare-conformance serve", () => {
  it("serves until interrupted and prints a targets.yaml entry that loads", async () => {
    const io = captureIo(dir);
    const serving = main(["serve", "--pki-dir", "served-pki", "--write", "served-written.yaml"], io);
    // Key generation on a loaded machine can take long: a generous bound, not a speed test.
    await io.waitForOut("Press Ctrl-C to stop.", 150_000);
    const baseUrl = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1];
    expect(baseUrl).toBeDefined();
    const yamlText = io.out().slice(io.out().indexOf("targets:\n"), io.out().indexOf("\nPress Ctrl-C"));
    const entry = parse(yamlText) as {
      targets: {
        served: {
          baseUrl: string;
          roles: string[];
          delegation: { permitMask: string; denyMask: string };
          expiredToken: string;
          identities: Record<string, unknown>;
        };
      };
    };
    const served = entry.targets.served;
    expect(served.baseUrl).toBe(baseUrl);
    // Complete: every role the reference plays, its masks, the service provider, an expired token.
    expect(served.roles).toEqual(["AuthorisationRegistry", "iShareSatellite", "IdentityProvider"]);
    expect(JSON.parse(await readFile(served.delegation.permitMask, "utf8"))).toHaveProperty(
      "delegationRequest",
    );
    expect(JSON.parse(await readFile(served.delegation.denyMask, "utf8"))).toHaveProperty(
      "delegationRequest",
    );
    expect(served.expiredToken.length).toBeGreaterThan(20);
    expect(Object.keys(served.identities).sort()).toEqual([
      "algEs256",
      "caLeaf",
      "entitledParty",
      "expiredIntermediate",
      "leafWithoutSigningUsage",
      "notActive",
      "registrar",
      "serviceProvider",
      "unregistered",
    ]);
    expect(await readFile(join(dir, "served-written.yaml"), "utf8")).toBe(yamlText);
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
  }, 300_000);
});
