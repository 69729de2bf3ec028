import { describe, expect, it } from "vitest";
import { echoProblems } from "./echo.ts";
import type { DelegationEvidence, DelegationMask, PolicyTarget } from "./types.ts";

const asked: PolicyTarget = {
  resource: { type: "CONTAINER.DATA", identifiers: ["ID.1", "ID.2"], attributes: ["CONTAINER.ETA"] },
  actions: ["iSHARE.READ"],
  environment: { serviceProviders: ["EU.EORI.NL000000003"] },
};

const mask: DelegationMask = {
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [{ policies: [{ target: asked, rules: [{ effect: "Permit" }] }] }],
  },
};

const echo = (target: PolicyTarget, rules = 1): DelegationEvidence => ({
  notBefore: 1,
  notOnOrAfter: 2,
  policyIssuer: "EU.EORI.NL000000005",
  target: { accessSubject: "EU.EORI.NL000000001" },
  policySets: [
    { policies: [{ target, rules: Array.from({ length: rules }, () => ({ effect: "Permit" })) }] },
  ],
});

describe("echoProblems", () => {
  it("finds nothing wrong with an echo of the mask (lists compared as sets)", () => {
    const reordered = { ...asked, resource: { ...asked.resource, identifiers: ["ID.2", "ID.1"] } };
    expect(echoProblems(echo(reordered), mask, { singleRule: true })).toEqual([]);
  });

  it("names a different policy issuer and access subject", () => {
    const other = { ...echo(asked), policyIssuer: "EU.EORI.NL000000004", target: { accessSubject: "X" } };
    expect(echoProblems(other, mask)).toEqual([
      "policyIssuer is EU.EORI.NL000000004, the mask's is EU.EORI.NL000000005",
      "target.accessSubject is X, the mask's is EU.EORI.NL000000001",
    ]);
  });

  it("names a mask policy whose service providers were dropped from the echo", () => {
    const { environment: _dropped, ...withoutProviders } = asked;
    expect(echoProblems(echo(withoutProviders), mask)).toEqual([
      "mask policySets[0].policies[0] (type CONTAINER.DATA, identifiers [ID.1, ID.2], attributes [CONTAINER.ETA], " +
        "actions [iSHARE.READ], serviceProviders [EU.EORI.NL000000003]) is not echoed by any evidence policy",
    ]);
  });

  it("with singleRule, names an echo carrying more than one rule", () => {
    expect(echoProblems(echo(asked, 2), mask)).toEqual([]);
    expect(echoProblems(echo(asked, 2), mask, { singleRule: true })).toEqual([
      "the echo of mask policySets[0].policies[0] has 2 rules, expected exactly one (the answer)",
    ]);
  });
});
