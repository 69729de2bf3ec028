import { describe, expect, it } from "vitest";
import { delegationNames, previousStepsOf, withPreviousSteps } from "./names.ts";

const body = { delegationRequest: { policyIssuer: "A" } };

describe("previous_steps placement by version", () => {
  it("2.0 puts previous_steps at the root", () => {
    const placed = withPreviousSteps(body, ["jwt"], "2.0");
    expect(placed).toEqual({ delegationRequest: { policyIssuer: "A" }, previous_steps: ["jwt"] });
    expect(previousStepsOf(placed, "2.0")).toEqual(["jwt"]);
    expect(previousStepsOf(placed, "2.1")).toBeUndefined();
  });

  it("2.1 puts previous_steps inside delegationRequest", () => {
    const placed = withPreviousSteps(body, ["jwt"], "2.1");
    expect(placed).toEqual({ delegationRequest: { policyIssuer: "A", previous_steps: ["jwt"] } });
    expect(previousStepsOf(placed, "2.1")).toEqual(["jwt"]);
  });

  it("3.0 spells them camelCase, inside delegationRequest, and answers delegationToken", () => {
    expect(withPreviousSteps(body, ["jwt"], "3.0")).toEqual({
      delegationRequest: { policyIssuer: "A", previousSteps: ["jwt"] },
    });
    expect(delegationNames("3.0").token).toBe("delegationToken");
    expect(delegationNames("2.1").token).toBe("delegation_token");
  });

  it("without a delegationRequest object the steps go to the root; other bodies are left alone", () => {
    expect(withPreviousSteps({}, ["jwt"], "2.1")).toEqual({ previous_steps: ["jwt"] });
    expect(withPreviousSteps("text", ["jwt"], "2.1")).toBe("text");
  });
});
