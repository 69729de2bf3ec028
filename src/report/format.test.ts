import { describe, expect, it } from "vitest";
import {
  formatCaseLine,
  formatDuration,
  formatProgress,
  formatRecap,
  formatTargetTotals,
  formatTotalsTable,
} from "./format.ts";
import { createStyle } from "./style.ts";

describe("console case lines", () => {
  it("shows outcome, id, title and duration; the reason for anything but a pass", () => {
    expect(
      formatCaseLine({
        status: "passed",
        name: "TOKEN-001 Valid request",
        durationMs: 3,
        message: "",
        warnings: [],
      }),
    ).toBe("PASS   TOKEN-001 Valid request (3 ms)");
    expect(
      formatCaseLine({
        status: "failed",
        name: "TOKEN-004 JSON body",
        durationMs: 12,
        message: "expected 400,\n got 200",
        warnings: [],
      }),
    ).toBe("FAIL   TOKEN-004 JSON body (12 ms) — expected 400, got 200");
    expect(
      formatCaseLine({
        status: "broken",
        name: "T-1 x",
        durationMs: 1500,
        message: "ECONNREFUSED",
        warnings: [],
      }),
    ).toBe("BROKEN T-1 x (1.50 s) — ECONNREFUSED");
    expect(
      formatCaseLine({ status: "skipped", name: "T-2 y", durationMs: 0, message: "needs 2.1", warnings: [] }),
    ).toBe("SKIP   T-2 y (0 ms) — needs 2.1");
  });

  it("puts the warnings of a passed case on its line", () => {
    const line = formatCaseLine({
      status: "passed",
      name: "TOKEN-001 Valid request",
      durationMs: 3,
      message: "a; b",
      warnings: ["no Pragma", "no Cache-Control"],
    });
    expect(line).toBe("PASS   TOKEN-001 Valid request (3 ms) — 2 warnings: no Pragma; no Cache-Control");
  });

  it("colours only when asked", () => {
    const line = { status: "failed", name: "T-1 x", durationMs: 1, message: "m", warnings: [] } as const;
    expect(formatCaseLine(line, createStyle(false))).not.toContain("\u001b[");
    expect(formatCaseLine(line, createStyle(true))).toContain("\u001b[31mFAIL");
  });
});

describe("totals table", () => {
  it("aligns counts and ends with the total and duration", () => {
    expect(formatTotalsTable({ passed: 40, failed: 1, broken: 0, skipped: 3 }, 4321)).toEqual([
      "passed   40",
      "failed    1",
      "broken    0",
      "skipped   3",
      "total    44",
      "duration 4.32 s",
    ]);
  });

  it("formats durations for people", () => {
    expect([formatDuration(0), formatDuration(999.4), formatDuration(1000), formatDuration(125_000)]).toEqual(
      ["0 ms", "999 ms", "1.00 s", "2 min 5 s"],
    );
  });
});

describe("progress, recap and per-target totals", () => {
  it("pads the progress to the total's width", () => {
    expect(formatProgress(7, 82)).toBe("[ 7/82]");
    expect(formatProgress(82, 82)).toBe("[82/82]");
  });

  it("recaps failed and broken cases with their one-line reason, and nothing for a clean run", () => {
    const c = (id: string, status: "passed" | "failed" | "broken" | "skipped", message = "") => ({
      target: "ref",
      id,
      title: `title ${id}`,
      status,
      message,
    });
    expect(formatRecap([c("T-1", "passed"), c("T-2", "skipped", "n/a")], false)).toEqual([]);
    expect(
      formatRecap(
        [c("T-1", "passed"), c("T-3", "failed", "expected 400,\n saw 200"), c("T-4", "broken", "ECONNRESET")],
        true,
      ),
    ).toEqual([
      "2 cases failed or broke:",
      "  FAIL   ref T-3 title T-3 — expected 400, saw 200",
      "  BROKEN ref T-4 title T-4 — ECONNRESET",
    ]);
  });

  it("tabulates totals per target", () => {
    const totals = { passed: 81, failed: 1, broken: 0, skipped: 1 };
    expect(formatTargetTotals([{ name: "reference-2.1", totals }])).toEqual([
      "target           passed  failed  broken skipped",
      "reference-2.1        81       1       0       1",
    ]);
  });
});
