import { describe, expect, it } from "vitest";
import * as entry from "./index.ts";

describe("package entry", () => {
  it("exports the delegation toolkit", () => {
    expect(Object.keys(entry).sort()).toEqual([
      "delegationNames",
      "echoProblems",
      "evaluate",
      "previousStepsOf",
      "readEvidence",
      "readMask",
      "requestOf",
      "sameTarget",
      "withPreviousSteps",
    ]);
  });

  it("lets a user read evidence from the wire and ask whether it permits a mask", () => {
    const mask = {
      delegationRequest: {
        policyIssuer: "EU.EORI.NL000000005",
        target: { accessSubject: "EU.EORI.NL000000001" },
        policySets: [
          {
            policies: [
              {
                target: {
                  resource: { type: "CONTAINER.DATA", identifiers: ["ID.1"] },
                  actions: ["iSHARE.READ"],
                },
                rules: [{ effect: "Permit" }],
              },
            ],
          },
        ],
      },
    };
    const wire: unknown = JSON.parse(
      JSON.stringify({
        notBefore: 1,
        notOnOrAfter: 2,
        policyIssuer: "EU.EORI.NL000000005",
        target: { accessSubject: "EU.EORI.NL000000001" },
        policySets: [
          {
            policies: [
              {
                target: {
                  resource: { type: "CONTAINER.DATA", identifiers: ["*"] },
                  actions: ["iSHARE.READ"],
                },
                rules: [{ effect: "Permit" }],
              },
            ],
          },
        ],
      }),
    );
    const evidence = entry.readEvidence(wire);
    const question = entry.readMask(mask);
    if (!evidence.ok || !question.ok) throw new Error("unreadable");
    expect(entry.evaluate(evidence.value, question.value).effect).toBe("Permit");
    expect(entry.evaluate(evidence.value, question.value, { atS: 2 }).effect).toBe("Deny");
  });
});
