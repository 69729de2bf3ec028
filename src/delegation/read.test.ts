import { describe, expect, it } from "vitest";
import { readEvidence, readMask } from "./read.ts";

const policy = {
  target: {
    resource: { type: "CONTAINER.DATA", identifiers: ["ID.12345"], attributes: ["CONTAINER.ETA"] },
    actions: ["iSHARE.READ"],
    environment: { serviceProviders: ["EU.EORI.NL000000003"] },
  },
  rules: [{ effect: "Permit" }],
};
const mask = {
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [{ policies: [policy] }],
  },
};

describe("readMask", () => {
  it("accepts the CTT-style mask", () => {
    expect(readMask(mask)).toEqual({ ok: true, value: mask });
  });

  it("names the key path of each problem", () => {
    const bad = {
      delegationRequest: {
        policyIssuer: "EU.EORI.NL000000005",
        target: { accessSubject: "EU.EORI.NL000000001", extra: 1 },
        policySets: [{ policies: [{ ...policy, rules: [{ effect: "Deny" }] }] }],
      },
    };
    const result = readMask(bad);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      'delegationRequest.target: unknown key "extra" (check the spelling)',
      'delegationRequest.policySets[0].policies[0].rules: must hold a rule with effect "Permit"',
    ]);
  });

  it("refuses a resource type holding a wildcard", () => {
    const wild = structuredClone(mask);
    wild.delegationRequest.policySets[0]!.policies[0]!.target.resource.type = "*";
    const result = readMask(wild);
    expect(result.ok ? [] : result.problems).toEqual([
      'delegationRequest.policySets[0].policies[0].target.resource.type: must match pattern "^[^\\s*]+$"',
    ]);
  });
});

describe("readEvidence", () => {
  const evidence = {
    notBefore: 1,
    notOnOrAfter: 2,
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [{ policies: [policy] }],
  };

  it("accepts evidence of the documented shape", () => {
    expect(readEvidence(evidence).ok).toBe(true);
  });

  it("accepts 3.0 license rules (allOf / anyOf groups) and refuses an empty group", () => {
    const licensed = (licenses: unknown) => ({
      ...evidence,
      policySets: [{ target: { environment: { licenses } }, policies: [policy] }],
    });
    expect(readEvidence(licensed(["ISHARE.0001", { anyOf: ["A", { allOf: ["B", "C"] }] }])).ok).toBe(true);
    expect(readEvidence(licensed([{ allOf: [] }])).ok).toBe(false);
    expect(readEvidence(licensed([42])).ok).toBe(false);
  });

  it("refuses non-integer times and a missing policyIssuer", () => {
    const { policyIssuer: _dropped, ...rest } = evidence;
    const result = readEvidence({ ...rest, notBefore: "1" });
    expect(result.ok ? [] : result.problems).toEqual([
      '(top level): missing required key "policyIssuer"',
      "notBefore: must be integer",
    ]);
  });
});
