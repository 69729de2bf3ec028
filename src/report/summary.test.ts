import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseResult, Outcome } from "../model/result.ts";
import { readCaseResults } from "./results-file.ts";
import type { TargetContext } from "./run-context.ts";
import { buildSummary, formatSummary } from "./summary.ts";

const ref = {
  key: "token.request",
  title: "Access token (M2M) — Request",
  url: "https://dev.ishare.eu/t",
  section: "Access token (M2M) — Request",
};

const result = (id: string, status: Outcome, message = ""): CaseResult => ({
  id,
  suite: "token",
  title: `title of ${id}`,
  ref,
  tags: [],
  status,
  message,
  warnings: [],
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 7,
  steps: [],
});

const context = (name: string): TargetContext => ({
  name,
  baseUrl: "http://127.0.0.1:1",
  partyId: "EU.EORI.NL000000004",
  version: "2.0",
  roles: ["AuthorisationRegistry"],
  faults: [],
  notices: [],
  plannedCases: 4,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "summary-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("summary.json from results.jsonl", () => {
  it("counts outcomes, orders cases by id and keeps the documented shape", async () => {
    const file = join(dir, "results.jsonl");
    const lines = [
      result("TOKEN-010", "failed", "expected 400, got 200"),
      result("TOKEN-002", "skipped", "applies to iSHARE 2.1"),
      result("TOKEN-001", "passed"),
      result("TOKEN-003", "broken", "ECONNRESET"),
    ].map((r) => JSON.stringify(r));
    // A run killed mid-write leaves a partial last line: it must not break the summary.
    await writeFile(file, `${lines.join("\n")}\n{"id":"TOKEN-0`);
    const results = await readCaseResults(file);
    const summary = buildSummary({
      target: "reference",
      startedAt: "2025-01-01T00:00:00.000Z",
      durationMs: 1234,
      results,
      notices: ["interrupted: 1 of 5 cases did not finish"],
      context: {
        harness: { name: "ishare-conformance", version: "1.2.3" },
        secrets: "redacted",
        targets: [{ ...context("reference"), notices: ["plain http"] }],
      },
    });
    expect(JSON.parse(formatSummary(summary))).toEqual({
      target: "reference",
      startedAt: "2025-01-01T00:00:00.000Z",
      durationMs: 1234,
      harness: { name: "ishare-conformance", version: "1.2.3" },
      secrets: "redacted",
      totals: { passed: 1, failed: 1, broken: 1, skipped: 1 },
      targets: [
        {
          name: "reference",
          baseUrl: "http://127.0.0.1:1",
          partyId: "EU.EORI.NL000000004",
          version: "2.0",
          roles: ["AuthorisationRegistry"],
          faults: [],
          notices: ["plain http"],
          totals: { passed: 1, failed: 1, broken: 1, skipped: 1 },
        },
      ],
      notJudged: 0,
      cases: [
        {
          target: "reference",
          id: "TOKEN-001",
          suite: "token",
          title: "title of TOKEN-001",
          ref: "Access token (M2M) — Request — https://dev.ishare.eu/t",
          status: "passed",
          durationMs: 7,
          message: "",
        },
        {
          target: "reference",
          id: "TOKEN-002",
          suite: "token",
          title: "title of TOKEN-002",
          ref: "Access token (M2M) — Request — https://dev.ishare.eu/t",
          status: "skipped",
          durationMs: 7,
          message: "applies to iSHARE 2.1",
        },
        {
          target: "reference",
          id: "TOKEN-003",
          suite: "token",
          title: "title of TOKEN-003",
          ref: "Access token (M2M) — Request — https://dev.ishare.eu/t",
          status: "broken",
          durationMs: 7,
          message: "ECONNRESET",
        },
        {
          target: "reference",
          id: "TOKEN-010",
          suite: "token",
          title: "title of TOKEN-010",
          ref: "Access token (M2M) — Request — https://dev.ishare.eu/t",
          status: "failed",
          durationMs: 7,
          message: "expected 400, got 200",
        },
      ],
      notices: ["plain http", "interrupted: 1 of 5 cases did not finish"],
    });
  });

  it("sums several targets: totals per target and overall, cases by target then id, notices named", () => {
    const summary = buildSummary({
      target: "a, b",
      startedAt: "2025-01-01T00:00:00.000Z",
      durationMs: 10,
      results: [
        { ...result("TOKEN-002", "failed"), target: "b" },
        { ...result("TOKEN-001", "passed"), target: "b" },
        { ...result("TOKEN-001", "broken"), target: "a" },
      ],
      notices: [],
      context: {
        harness: { name: "ishare-conformance", version: "1.2.3" },
        secrets: "shown (--show-secrets)",
        targets: [{ ...context("a"), notices: ["plain http"] }, context("b")],
      },
    });
    expect(summary.target).toBe("a, b");
    expect(summary.cases.map((c) => `${c.target} ${c.id} ${c.status}`)).toEqual([
      "a TOKEN-001 broken",
      "b TOKEN-001 passed",
      "b TOKEN-002 failed",
    ]);
    expect(summary.targets.map((t) => [t.name, t.totals])).toEqual([
      ["a", { passed: 0, failed: 0, broken: 1, skipped: 0 }],
      ["b", { passed: 1, failed: 1, broken: 0, skipped: 0 }],
    ]);
    expect(summary.totals).toEqual({ passed: 1, failed: 1, broken: 1, skipped: 0 });
    expect(summary.notices).toEqual(["a: plain http"]);
    expect(summary.secrets).toBe("shown (--show-secrets)");
  });

  it("orders ids numerically within a prefix", () => {
    const summary = buildSummary({
      target: "t",
      startedAt: "2025-01-01T00:00:00.000Z",
      durationMs: 0,
      results: [result("CAP-10", "passed"), result("CAP-9", "passed"), result("AR-1", "passed")],
      notices: [],
    });
    expect(summary.cases.map((c) => c.id)).toEqual(["AR-1", "CAP-9", "CAP-10"]);
  });

  it("reads a missing results file as no results", async () => {
    expect(await readCaseResults(join(dir, "absent.jsonl"))).toEqual([]);
  });
});
