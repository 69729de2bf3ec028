/**
 * Verdicts a user can trust on a real target, end to end through the CLI: the reference target is started with
 * `serve` and tested as an external target over a real socket. With another party's credentials no negative
 * case passes and the exit code is not 0; with a wrong token path or a wrong target party id the run stops
 * before any case with one sentence naming the key (exit 2).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { RunSummary } from "../report/index.ts";
import { type CapturedIo, captureIo } from "./capture-io.fixture.ts";
import { main } from "./main.ts";

type Entry = Record<string, unknown> & { client: Record<string, unknown>; endpoints: Record<string, string> };

let dir: string;
let serveIo: CapturedIo;
let serving: Promise<number>;
let served: Entry;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "preflight-e2e-"));
  serveIo = captureIo(dir);
  serving = main(["serve", "--pki-dir", "pki"], serveIo);
  await serveIo.waitForOut("Press Ctrl-C to stop.", 60_000);
  const text = serveIo.out();
  const yamlText = text.slice(text.indexOf("targets:\n"), text.indexOf("\nPress Ctrl-C"));
  served = (parse(yamlText) as { targets: { served: Entry } }).targets.served;
}, 300_000);
afterAll(async () => {
  serveIo.interruptNow();
  await serving;
  await rm(dir, { recursive: true, force: true });
});

/** Writes a targets file whose target `t` is the served entry changed by `edit`. */
async function targetsWith(name: string, edit: (entry: Entry) => void): Promise<string> {
  const entry = structuredClone(served);
  edit(entry);
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, stringify({ targets: { t: entry } }));
  return file;
}

describe("run against the reference served as an external target", () => {
  it("with the printed entry (ready-made certificates, no issuer): every token and OIDC case passes, exit 0", async () => {
    const targets = await targetsWith("served", () => {});
    const out = join(dir, "served-report");
    const io = captureIo(dir);
    const code = await main(
      [
        ...["run", "--targets", targets, "--target", "t", "--out", out, "--rate-limit", "0"],
        ...["--suite", "token", "--suite", "oidc"],
      ],
      io,
    );
    const summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as RunSummary;
    const notPassed = summary.cases.filter((c) => c.status !== "passed" && c.status !== "skipped");
    expect(notPassed.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(code).toBe(0);
    // The entry's oidc: block (test user, userinfo masks) leaves no OIDC case skipped for want of configuration.
    expect(summary.cases.filter((c) => c.suite === "oidc" && c.status === "passed").length).toBeGreaterThan(
      20,
    );
    const certificateCases = ["TOKEN-025", "TOKEN-026", "TOKEN-027", "TOKEN-028", "TOKEN-044"];
    expect(summary.cases.filter((c) => certificateCases.includes(c.id)).map((c) => c.status)).toEqual(
      certificateCases.map(() => "passed"),
    );
  }, 300_000);

  it("with another party's credentials: no negative case passes, the control fails, exit 1", async () => {
    const targets = await targetsWith("other-party", (entry) => {
      const pki = join(dir, "pki");
      entry.client = {
        partyId: "EU.EORI.NL000000099",
        key: join(pki, "unregistered.key.pem"),
        certificates: join(pki, "unregistered.chain.pem"),
      };
      // The masks name the real client as access subject: with another client the loader refuses them (exit 2).
      delete entry["delegation"];
    });
    const out = join(dir, "other-party-report");
    const io = captureIo(dir);
    const code = await main(
      ["run", "--targets", targets, "--target", "t", "--out", out, "--rate-limit", "0"],
      io,
    );
    expect(code, io.err()).toBe(1);
    const summary = JSON.parse(await readFile(join(out, "summary.json"), "utf8")) as RunSummary;
    const negatives = new Set(
      (await import("../engine/index.ts"))
        .listCases()
        .filter((c) => c.tags.includes("negative"))
        .map((c) => c.id),
    );
    const ran = summary.cases.filter((c) => negatives.has(c.id) && c.status !== "skipped");
    expect(ran.length).toBeGreaterThan(40);
    expect(ran.filter((c) => c.status === "passed").map((c) => c.id)).toEqual([]);
    expect(ran.every((c) => c.status === "broken" && c.message.startsWith("not judged: "))).toBe(true);
    expect(summary.cases.find((c) => c.id === "TOKEN-003")?.notJudged?.control).toBe("TOKEN-001");
    expect(summary.cases.find((c) => c.id === "TOKEN-001")?.status).toBe("failed");
    expect(summary.notJudged).toBeGreaterThanOrEqual(ran.length);
    expect(summary.notices.join("\n")).toMatch(
      /pre-flight: access token: the target refused the valid token request/,
    );
    expect(io.out()).not.toContain("harness error");
  }, 300_000);

  it.each([
    [
      "a wrong token path",
      (entry: Entry) => {
        entry.endpoints["token"] = "/token";
      },
      /^ishare-conformance: pre-flight: targets\.t\.endpoints\.token: POST http:\/\/127\.0\.0\.1:\d+\/token answered 404; the target's capabilities advertise http:\/\/127\.0\.0\.1:\d+\/connect\/token: set targets\.t\.endpoints\.token to it$/m,
    ],
    [
      "a wrong target partyId",
      (entry: Entry) => {
        entry["partyId"] = "EU.EORI.NL000000005";
      },
      /^ishare-conformance: pre-flight: targets\.t\.partyId is EU\.EORI\.NL000000005, but the target's capabilities name EU\.EORI\.NL000000004; set targets\.t\.partyId: EU\.EORI\.NL000000004/m,
    ],
  ])("with %s: one sentence naming the key, no case run, exit 2", async (name, edit, sentence) => {
    const targets = await targetsWith(name.replace(/\W+/g, "-"), edit);
    const out = join(dir, `${name.replace(/\W+/g, "-")}-report`);
    const io = captureIo(dir);
    expect(await main(["run", "--targets", targets, "--target", "t", "--out", out], io)).toBe(2);
    expect(io.err()).toMatch(sentence);
    expect(
      io
        .err()
        .split("\n")
        .filter((line) => line.startsWith("ishare-conformance:")),
    ).toHaveLength(1);
    expect(io.out()).not.toMatch(/FAIL|PASS/);
  });
});
