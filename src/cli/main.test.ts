import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureIo } from "./capture-io.fixture.ts";
import { main } from "./main.ts";
import { packageVersion } from "./package-info.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-main-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("usage errors exit 2 with one line on stderr", () => {
  it.each([
    [["bogus"], 'unknown command "bogus" (commands: run, doctor, list, faults, pki, serve, report, bench)'],
    [["--bogus"], "unknown option --bogus; options go after the command"],
    [["run", "--bogus"], 'run: unknown option --bogus (see "ishare-conformance run --help")'],
    [["run", "--concurrency", "0"], "run: --concurrency must be a whole number from 1 to 64"],
    [["list", "--json", "x"], 'list: unexpected argument "x"'],
    [["pki"], "pki: missing subcommand (pki init)"],
    [["serve", "--version", "9"], 'serve: --version must be one of 2.0, 2.1, 3.0, got "9"'],
    [["serve", "--fault", "token.nope"], 'serve: unknown fault "token.nope"'],
  ])("%j", async (argv, message) => {
    const io = captureIo(dir);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err().trim().split("\n")).toHaveLength(1);
    expect(io.out()).toBe("");
  });

  it("names the targets file that is missing and how to fix it", async () => {
    const io = captureIo(dir);
    expect(await main(["run", "--targets", "missing.yaml"], io)).toBe(2);
    expect(io.err()).toBe(
      `ishare-conformance: ${join(dir, "missing.yaml")}: targets file not found; pass --targets FILE or run from the folder that holds targets.yaml\n`,
    );
  });

  it("defaults to targets.yaml in the current directory", async () => {
    const io = captureIo(dir);
    expect(await main(["run"], io)).toBe(2);
    expect(io.err()).toContain(join(dir, "targets.yaml"));
  });

  it("passes the engine's configuration errors through without a stack", async () => {
    const file = join(dir, "targets.yaml");
    await writeFile(file, "targets:\n  reference:\n    builtin: reference\n");
    const io = captureIo(dir);
    expect(await main(["run", "--target", "nope"], io)).toBe(2);
    expect(io.err()).toMatch(/^ishare-conformance: .*targets\.yaml: no target named "nope".*\n$/);
    expect(io.err()).not.toContain("    at ");
  });

  it("prints usage on stderr and exits 2 without a command", async () => {
    const io = captureIo(dir);
    expect(await main([], io)).toBe(2);
    expect(io.err()).toContain("Usage: ishare-conformance <command> [options]");
  });
});

describe("help and version", () => {
  it("prints the version", async () => {
    const io = captureIo(dir);
    expect(await main(["--version"], io)).toBe(0);
    expect(io.out()).toBe(`${packageVersion()}\n`);
  });

  it("lists every command and the exit codes", async () => {
    const io = captureIo(dir);
    expect(await main(["--help"], io)).toBe(0);
    for (const name of ["run", "list", "faults", "pki", "serve", "report", "bench"]) {
      expect(io.out()).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    expect(io.out()).toContain("130 interrupted");
  });

  it("shows a command's options with --help or help <command>", async () => {
    for (const argv of [
      ["run", "--help"],
      ["help", "run"],
    ]) {
      const io = captureIo(dir);
      expect(await main(argv, io)).toBe(0);
      expect(io.out()).toContain("Usage: ishare-conformance run [options]");
      expect(io.out()).toContain("--show-secrets");
    }
  });
});

describe("list and faults", () => {
  it("lists cases with their rule as JSON", async () => {
    const io = captureIo(dir);
    expect(await main(["list", "--json", "--suite", "token"], io)).toBe(0);
    const cases = JSON.parse(io.out()) as { id: string; suite: string; ref: { key: string; url: string } }[];
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.suite === "token" && c.ref.url.startsWith("https://"))).toBe(true);
  });

  it("refuses an unknown suite, naming the known ones", async () => {
    const io = captureIo(dir);
    expect(await main(["list", "--suite", "nope"], io)).toBe(2);
    expect(io.err()).toMatch(/list: unknown suite nope \(known: .*token.*\)/);
  });

  it("lists faults with the cases that catch them", async () => {
    const io = captureIo(dir);
    expect(await main(["faults", "--json"], io)).toBe(0);
    const faults = JSON.parse(io.out()) as {
      name: string;
      description: string;
      caughtBy: string[];
      reason?: string;
    }[];
    expect(faults.length).toBeGreaterThan(0);
    const [chaos, rules] = [
      faults.filter((f) => f.name.startsWith("chaos.")),
      faults.filter((f) => !f.name.startsWith("chaos.")),
    ];
    expect(rules.every((f) => f.description !== "" && f.caughtBy.length > 0)).toBe(true);
    // Chaos faults test the harness: each names the behaviour the affected cases must report, or affects no
    // case at all (a tolerated behaviour such as an interim 100 Continue before the answer).
    expect(
      chaos.every((f) => f.description !== "" && ((f.reason ?? "") !== "" || f.caughtBy.length === 0)),
    ).toBe(true);
  });
});

describe("pki init", () => {
  it("writes the PKI, lists files and party ids, never prints key material", async () => {
    const io = captureIo(dir);
    expect(await main(["pki", "init", "--dir", "my-pki"], io)).toBe(0);
    const files = await readdir(join(dir, "my-pki"));
    expect(files).toEqual(expect.arrayContaining(["root.pem", "client.key.pem", "client.chain.pem"]));
    expect(io.out()).toContain("my-pki/client.key.pem");
    expect(io.out()).toMatch(/client\s+EU\.EORI\.NL000000001/);
    expect(io.out()).not.toContain("PRIVATE KEY");
    const key = await readFile(join(dir, "my-pki", "client.key.pem"), "utf8");
    expect(io.out()).not.toContain(key.split("\n")[1]!);
  });
});
