import { describe, expect, test } from "vitest";
import type { CaseResult, CheckResult } from "../model/result.ts";
import { controlNotAccepted, notJudgedResult } from "./controls.ts";

const ref = {
  key: "token.response",
  title: "Access token (M2M) — Response",
  url: "https://dev.ishare.eu/x",
  section: "Response",
};
const check = (name: string, ok: boolean): CheckResult => ({
  check: name,
  severity: "fail",
  ok,
  message: "m",
  ref,
});
const control = (status: CaseResult["status"], checks: CheckResult[] = [], message = "why"): CaseResult => ({
  id: "TOKEN-001",
  suite: "token",
  title: "t",
  ref,
  tags: ["positive"],
  status,
  message,
  warnings: [],
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 1,
  steps: [
    {
      name: "s",
      checks,
      jwts: [],
      ...(checks.length > 0
        ? { response: { status: 200, headers: {}, body: "", truncated: false, durationMs: 1 } }
        : {}),
    },
  ],
});

describe("a positive control", () => {
  test("that passed, or failed only beside its status (e.g. caching headers), was accepted", () => {
    expect(controlNotAccepted(control("passed"))).toBeUndefined();
    expect(
      controlNotAccepted(control("failed", [check("status-is", true), check("not-cacheable", false)])),
    ).toBeUndefined();
  });

  test("that broke after its status held (signer trust not established) was accepted", () => {
    expect(controlNotAccepted(control("broken", [check("status-is", true)]))).toBeUndefined();
  });

  test("refused, broken or skipped was not accepted, and says why", () => {
    expect(controlNotAccepted(control("failed", [check("status-is", false)], "saw 400"))).toBe(
      "positive control TOKEN-001 failed: saw 400",
    );
    expect(controlNotAccepted(control("broken", [], "timeout"))).toBe(
      "positive control TOKEN-001 broken: timeout",
    );
    expect(controlNotAccepted(control("skipped", [], "needs x"))).toBe(
      "positive control TOKEN-001 was skipped: needs x",
    );
  });

  test("a negative whose control was not accepted is broken, not judged, never passed", () => {
    const planned = {
      id: "TOKEN-003",
      suite: "token",
      title: "GET",
      feature: "token",
      ref,
      tags: ["negative"],
    };
    const result = notJudgedResult(
      planned,
      { control: "TOKEN-001", reason: "positive control TOKEN-001 failed: x" },
      () => 0,
    );
    expect(result.status).toBe("broken");
    expect(result.message).toBe("not judged: positive control TOKEN-001 failed: x");
    expect(result.notJudged).toEqual({
      control: "TOKEN-001",
      reason: "positive control TOKEN-001 failed: x",
    });
  });
});
