import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.ts";
import type { DelegationEvidence, DelegationMask, Policy, PolicyTarget, Rule } from "./types.ts";

const ISSUER = "EU.EORI.NL000000005";
const SUBJECT = "EU.EORI.NL000000001";
const SP = "EU.EORI.NL000000003";

const target = (overrides: Partial<PolicyTarget> = {}, resource: Partial<PolicyTarget["resource"]> = {}) => ({
  resource: { type: "CONTAINER.DATA", identifiers: ["ID.12345"], attributes: ["CONTAINER.ETA"], ...resource },
  actions: ["iSHARE.READ"],
  environment: { serviceProviders: [SP] },
  ...overrides,
});

const mask = (...targets: PolicyTarget[]): DelegationMask => ({
  delegationRequest: {
    policyIssuer: ISSUER,
    target: { accessSubject: SUBJECT },
    policySets: [{ policies: targets.map((t) => ({ target: t, rules: [{ effect: "Permit" }] })) }],
  },
});

const policy = (t: PolicyTarget, ...rules: Rule[]): Policy => ({ target: t, rules });

const evidence = (...policies: Policy[]): DelegationEvidence => ({
  notBefore: 1000,
  notOnOrAfter: 2000,
  policyIssuer: ISSUER,
  target: { accessSubject: SUBJECT },
  policySets: [{ target: { environment: { licenses: ["ISHARE.0001"] } }, policies }],
});

describe("evaluate: one mask policy against evidence policies", () => {
  it("permits a question the evidence echoes with a Permit rule", () => {
    const result = evaluate(evidence(policy(target(), { effect: "Permit" })), mask(target()));
    expect(result.effect).toBe("Permit");
    expect(result.policies).toEqual([
      {
        at: "policySets[0].policies[0]",
        effect: "Permit",
        reason: "evidence policySets[0].policies[0] permits it",
      },
    ]);
  });

  it("denies a question the evidence echoes with a single Deny rule", () => {
    const result = evaluate(evidence(policy(target(), { effect: "Deny" })), mask(target()));
    expect(result.effect).toBe("Deny");
    expect(result.policies[0]?.reason).toBe("evidence policySets[0].policies[0]: rules[0] denies it");
  });

  it("treats '*' and missing identifiers, attributes as every value", () => {
    const wide = target({}, { identifiers: ["*"] });
    const { attributes: _omitted, ...noAttributes } = wide.resource;
    const granted = { ...wide, resource: noAttributes };
    expect(evaluate(evidence(policy(granted, { effect: "Permit" })), mask(target())).effect).toBe("Permit");
  });

  it("denies when an asked identifier, attribute, action or service provider is not granted", () => {
    const granted = policy(target(), { effect: "Permit" });
    for (const asked of [
      target({}, { identifiers: ["ID.12345", "ID.999"] }),
      target({}, { attributes: ["CONTAINER.WEIGHT"] }),
      target({ actions: ["iSHARE.DELETE"] }),
      target({ environment: { serviceProviders: ["EU.EORI.NL000000002"] } }),
      target({}, { type: "OTHER.TYPE" }),
    ]) {
      expect(evaluate(evidence(granted), mask(asked)).effect).toBe("Deny");
    }
  });

  it("denies a question asking for all identifiers when only some are granted", () => {
    const result = evaluate(
      evidence(policy(target(), { effect: "Permit" })),
      mask(target({}, { identifiers: ["*"] })),
    );
    expect(result.policies[0]?.reason).toBe("evidence policySets[0].policies[0]: identifiers not covered");
  });

  it("requires the mask to name service providers when the policy is limited to some", () => {
    const { environment: _omitted, ...noEnvironment } = target();
    const result = evaluate(evidence(policy(target(), { effect: "Permit" })), mask(noEnvironment));
    expect(result.effect).toBe("Deny");
    expect(result.policies[0]?.reason).toContain("service providers the mask does not name");
  });
});

describe("evaluate: deny-overrides within a policy", () => {
  const wide = target(
    { actions: ["iSHARE.READ", "iSHARE.UPDATE"] },
    { identifiers: ["*"], attributes: ["*"] },
  );

  it("a Deny rule touching an asked attribute wins over the Permit default", () => {
    const granted = policy(
      wide,
      { effect: "Permit" },
      { effect: "Deny", target: { resource: { attributes: ["CONTAINER.WEIGHT"] } } },
    );
    expect(evaluate(evidence(granted), mask(target())).effect).toBe("Permit");
    const weight = evaluate(evidence(granted), mask(target({}, { attributes: ["CONTAINER.WEIGHT"] })));
    expect(weight.effect).toBe("Deny");
    expect(weight.policies[0]?.reason).toBe("evidence policySets[0].policies[0]: rules[1] denies it");
  });

  it("a Deny rule limited to other actions does not touch the question", () => {
    const granted = policy(
      wide,
      { effect: "Permit" },
      { effect: "Deny", target: { resource: { attributes: ["*"] }, actions: ["iSHARE.UPDATE"] } },
    );
    expect(evaluate(evidence(granted), mask(target())).effect).toBe("Permit");
    expect(evaluate(evidence(granted), mask(target({ actions: ["iSHARE.UPDATE"] }))).effect).toBe("Deny");
  });

  it("a policy without a Permit rule permits nothing", () => {
    const onlyDeny = policy(wide, { effect: "Deny", target: { resource: { identifiers: ["ID.other"] } } });
    expect(evaluate(evidence(onlyDeny), mask(target())).policies[0]?.reason).toContain("no Permit rule");
  });
});

describe("evaluate: permit-overrides across policies and policy sets", () => {
  it("one permitting policy suffices even when another denies", () => {
    const denying = policy(target(), { effect: "Deny" });
    const permitting = policy(target(), { effect: "Permit" });
    const twoSets: DelegationEvidence = {
      ...evidence(denying),
      policySets: [...evidence(denying).policySets, { policies: [permitting] }],
    };
    const result = evaluate(twoSets, mask(target()));
    expect(result.effect).toBe("Permit");
    expect(result.policies[0]?.reason).toBe("evidence policySets[1].policies[0] permits it");
  });

  it("the mask is permitted only when every one of its policies is", () => {
    const update = target({ actions: ["iSHARE.UPDATE"] });
    const result = evaluate(evidence(policy(target(), { effect: "Permit" })), mask(target(), update));
    expect(result.effect).toBe("Deny");
    expect(result.policies.map((p) => p.effect)).toEqual(["Permit", "Deny"]);
  });
});

describe("evaluate: evidence about another question, or out of time", () => {
  const granted = evidence(policy(target(), { effect: "Permit" }));

  it("denies evidence of another policy issuer or access subject", () => {
    const other = { ...granted, policyIssuer: "EU.EORI.NL000000004" };
    expect(evaluate(other, mask(target())).reasons).toEqual([
      `the evidence is issued by EU.EORI.NL000000004, the mask asks about ${ISSUER}'s policies`,
    ]);
    const otherSubject = { ...granted, target: { accessSubject: SP } };
    expect(evaluate(otherSubject, mask(target())).effect).toBe("Deny");
  });

  it("with a time, denies evidence before notBefore or at notOnOrAfter", () => {
    expect(evaluate(granted, mask(target()), { atS: 1000 }).effect).toBe("Permit");
    expect(evaluate(granted, mask(target()), { atS: 999 }).reasons).toEqual([
      "the evidence is not valid before 1000 (now 999)",
    ]);
    expect(evaluate(granted, mask(target()), { atS: 2000 }).reasons).toEqual([
      "the evidence expired at 2000 (now 2000)",
    ]);
  });

  it("accepts the unwrapped delegationRequest as the mask", () => {
    expect(evaluate(granted, mask(target()).delegationRequest).effect).toBe("Permit");
  });

  it("denies a mask that asks nothing", () => {
    const empty: DelegationMask = mask();
    expect(evaluate(granted, empty).reasons).toEqual(["the mask asks nothing (no policies)"]);
  });
});
