import { describe, expect, it } from "vitest";
import { delegationNames, documentedPlacement, previousStepsOf, withPreviousSteps } from "./names.ts";

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

  it("3.0 spells them camelCase, at the root (OpenAPI 3.0 delegationRequestBody), and answers delegationToken", () => {
    const placed = withPreviousSteps(body, ["jwt"], "3.0");
    expect(placed).toEqual({ delegationRequest: { policyIssuer: "A" }, previousSteps: ["jwt"] });
    expect(previousStepsOf(placed, "3.0")).toEqual(["jwt"]);
    expect(previousStepsOf(placed, "3.0", "delegationRequest")).toBeUndefined();
    expect(delegationNames("3.0").token).toBe("delegationToken");
    expect(delegationNames("2.1").token).toBe("delegation_token");
  });

  it("a configured placement overrides the documented one (a 2.1 AR that reads them at the root)", () => {
    expect(documentedPlacement("2.1")).toBe("delegationRequest");
    const placed = withPreviousSteps(body, ["jwt"], "2.1", "root");
    expect(placed).toEqual({ delegationRequest: { policyIssuer: "A" }, previous_steps: ["jwt"] });
    expect(previousStepsOf(placed, "2.1", "root")).toEqual(["jwt"]);
    expect(previousStepsOf(placed, "2.1")).toBeUndefined();
    expect(withPreviousSteps(body, ["jwt"], "3.0", "delegationRequest")).toEqual({
      delegationRequest: { policyIssuer: "A", previousSteps: ["jwt"] },
    });
  });

  it("without a delegationRequest object the steps go to the root; other bodies are left alone", () => {
    expect(withPreviousSteps({}, ["jwt"], "2.1")).toEqual({ previous_steps: ["jwt"] });
    expect(withPreviousSteps("text", ["jwt"], "2.1")).toBe("text");
  });
});
