import { describe, expect, it } from "vitest";
import { encodeJsonSegment } from "../assertions/index.ts";
import type { DelegationEvidence, DelegationMask } from "../delegation/index.ts";
import type { DenyAnswer } from "../model/target.ts";
import { checkContext, checkTarget } from "../test-support/check-context.ts";
import type { CheckContext, CheckDefinition, CheckVerdict } from "./check.ts";
import * as checks from "./delegation.ts";

/** The delegation checks are synchronous; this keeps the tests free of awaits. */
function sync<P>(check: CheckDefinition<P>): { run(context: CheckContext, params: P): CheckVerdict } {
  return {
    run(context, params) {
      const verdict = check.run(context, params);
      if (verdict instanceof Promise) throw new Error(`${check.name} is asynchronous`);
      return verdict;
    },
  };
}
const delegationDenied = sync(checks.delegationDenied);
const delegationEvidenceEffectIs = sync(checks.delegationEvidenceEffectIs);
const delegationEvidenceLicensesPresent = sync(checks.delegationEvidenceLicensesPresent);
const delegationEvidenceMatchesMask = sync(checks.delegationEvidenceMatchesMask);
const delegationEvidenceTimeValid = sync(checks.delegationEvidenceTimeValid);
const delegationEvidenceValid = sync(checks.delegationEvidenceValid);

const NOW_S = 1_790_000_000;
const target = {
  resource: { type: "CONTAINER.DATA", identifiers: ["ID.12345"], attributes: ["CONTAINER.ETA"] },
  actions: ["iSHARE.READ"],
  environment: { serviceProviders: ["EU.EORI.NL000000003"] },
};
const permitMask: DelegationMask = {
  delegationRequest: {
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [{ policies: [{ target, rules: [{ effect: "Permit" }] }] }],
  },
};
const denyMask: DelegationMask = {
  delegationRequest: {
    ...permitMask.delegationRequest,
    policySets: [
      { policies: [{ target: { ...target, actions: ["iSHARE.DELETE"] }, rules: [{ effect: "Permit" }] }] },
    ],
  },
};

function evidence(overrides: Partial<DelegationEvidence> = {}, effect: "Permit" | "Deny" = "Permit") {
  return {
    notBefore: NOW_S,
    notOnOrAfter: NOW_S + 3600,
    policyIssuer: "EU.EORI.NL000000005",
    target: { accessSubject: "EU.EORI.NL000000001" },
    policySets: [
      {
        maxDelegationDepth: 0,
        target: { environment: { licenses: ["ISHARE.0001"] } },
        policies: [{ target, rules: [{ effect }] }],
      },
    ],
    ...overrides,
  };
}

/** A context whose body carries an (unsigned: these checks do not verify) delegation token. */
function context(
  payload: Record<string, unknown> | undefined,
  status = 200,
  denyAnswer: DenyAnswer = "deny",
) {
  const token = payload
    ? `${encodeJsonSegment({ alg: "RS256" })}.${encodeJsonSegment(payload)}.c2ln`
    : undefined;
  return checkContext(
    { status, body: token ? { delegation_token: token } : "" },
    {
      nowMs: NOW_S * 1000,
      target: checkTarget({ delegation: { masks: { permit: permitMask, deny: denyMask }, denyAnswer } }),
    },
  );
}

const from = "delegation_token";

describe("delegation-evidence-valid", () => {
  it("passes well-formed evidence", () => {
    expect(delegationEvidenceValid.run(context({ delegationEvidence: evidence() }), { from }).ok).toBe(true);
  });

  it("fails without the claim, or with evidence missing members", () => {
    expect(delegationEvidenceValid.run(context({ iss: "x" }), { from }).message).toBe(
      "expected claim delegationEvidence in body.delegation_token, saw it absent",
    );
    const { policySets: _dropped, ...rest } = evidence();
    expect(delegationEvidenceValid.run(context({ delegationEvidence: rest }), { from }).message).toBe(
      'expected well-formed body.delegation_token delegationEvidence: (top level): missing required key "policySets"',
    );
  });

  it("fails when there is no token at all", () => {
    expect(delegationEvidenceValid.run(context(undefined), { from }).message).toMatch(
      /^expected a delegation token at body.delegation_token/,
    );
  });
});

describe("delegation-evidence-matches-mask", () => {
  it("passes an echo of the mask with a single rule", () => {
    const verdict = delegationEvidenceMatchesMask.run(context({ delegationEvidence: evidence() }), {
      from,
      mask: "permit",
      singleRule: true,
    });
    expect(verdict).toEqual({
      ok: true,
      message: "body.delegation_token delegationEvidence echoes the permit mask",
    });
  });

  it("fails evidence whose policyIssuer differs from the mask's", () => {
    const verdict = delegationEvidenceMatchesMask.run(
      context({ delegationEvidence: evidence({ policyIssuer: "EU.EORI.NL000000004" }) }),
      { from, mask: "permit" },
    );
    expect(verdict.message).toBe(
      "expected body.delegation_token delegationEvidence to answer the permit mask: " +
        "policyIssuer is EU.EORI.NL000000004, the mask's is EU.EORI.NL000000005",
    );
  });

  it("fails when the target has no such mask configured", () => {
    const bare = checkContext({ body: {} }, { target: checkTarget() });
    expect(delegationEvidenceMatchesMask.run(bare, { from, mask: "deny" }).message).toBe(
      "the target has no deny mask: set targets.unit.delegation.denyMask in unit-test",
    );
  });
});

describe("delegation-evidence-effect-is", () => {
  it("passes Permit evidence for the permit mask", () => {
    const verdict = delegationEvidenceEffectIs.run(context({ delegationEvidence: evidence() }), {
      from,
      mask: "permit",
      effect: "Permit",
    });
    expect(verdict.ok).toBe(true);
  });

  it("fails Permit evidence when Deny is expected, saying why the evaluator permits", () => {
    const verdict = delegationEvidenceEffectIs.run(context({ delegationEvidence: evidence() }), {
      from,
      mask: "permit",
      effect: "Deny",
    });
    expect(verdict.message).toBe(
      "expected body.delegation_token delegationEvidence to say Deny to the permit mask, it says Permit " +
        "(policySets[0].policies[0]: evidence policySets[0].policies[0] permits it)",
    );
  });
});

describe("delegation-evidence-time-valid", () => {
  it("passes evidence valid now", () => {
    expect(delegationEvidenceTimeValid.run(context({ delegationEvidence: evidence() }), { from }).ok).toBe(
      true,
    );
  });

  it("fails evidence whose notOnOrAfter has passed, or whose notBefore is ahead", () => {
    const expired = evidence({ notBefore: NOW_S - 100, notOnOrAfter: NOW_S - 60 });
    expect(delegationEvidenceTimeValid.run(context({ delegationEvidence: expired }), { from }).message).toBe(
      `expected body.delegation_token delegationEvidence valid now, saw notOnOrAfter ${NOW_S - 60} <= now ${NOW_S}`,
    );
    const early = evidence({ notBefore: NOW_S + 60 });
    expect(delegationEvidenceTimeValid.run(context({ delegationEvidence: early }), { from }).ok).toBe(false);
  });
});

describe("delegation-evidence-licenses-present", () => {
  it("passes policy sets with licenses", () => {
    expect(
      delegationEvidenceLicensesPresent.run(context({ delegationEvidence: evidence() }), { from }).ok,
    ).toBe(true);
  });

  it("fails a policy set without licenses", () => {
    const bare = evidence({ policySets: [{ policies: [{ target, rules: [{ effect: "Permit" }] }] }] });
    expect(
      delegationEvidenceLicensesPresent.run(context({ delegationEvidence: bare }), { from }).message,
    ).toBe(
      "expected target.environment.licenses in each policy set of body.delegation_token delegationEvidence, saw policySets[0] (absent)",
    );
  });
});

describe("delegation-denied", () => {
  const deny = { delegationEvidence: evidence({}, "Deny") };
  const denyEcho = {
    delegationEvidence: {
      ...evidence({}, "Deny"),
      policySets: [
        { policies: [{ target: { ...target, actions: ["iSHARE.DELETE"] }, rules: [{ effect: "Deny" }] }] },
      ],
    },
  };

  it("passes 200 with Deny evidence", () => {
    expect(delegationDenied.run(context(denyEcho), { from, mask: "deny" }).ok).toBe(true);
  });

  it("fails 200 with evidence that echoes the deny mask with Permit", () => {
    const permitting = {
      delegationEvidence: {
        ...evidence(),
        policySets: [
          {
            policies: [{ target: { ...target, actions: ["iSHARE.DELETE"] }, rules: [{ effect: "Permit" }] }],
          },
        ],
      },
    };
    expect(delegationDenied.run(context(permitting), { from, mask: "deny" }).message).toMatch(
      /to say Deny to the deny mask, it says Permit/,
    );
  });

  it("fails Deny evidence about another policy issuer: it answers another question", () => {
    const other = {
      delegationEvidence: { ...denyEcho.delegationEvidence, policyIssuer: "EU.EORI.NL000000004" },
    };
    expect(delegationDenied.run(context(other), { from, mask: "deny" }).message).toBe(
      "expected body.delegation_token delegationEvidence to answer the deny mask: " +
        "policyIssuer is EU.EORI.NL000000004, the mask's is EU.EORI.NL000000005",
    );
  });

  it("takes 404 only where denyAnswer allows it", () => {
    expect(delegationDenied.run(context(undefined, 404, "deny"), { from, mask: "deny" }).message).toMatch(
      /^expected 200 with Deny evidence for the deny mask, saw 404/,
    );
    expect(delegationDenied.run(context(undefined, 404, "either"), { from, mask: "deny" }).ok).toBe(true);
    expect(delegationDenied.run(context(undefined, 404, "not-found"), { from, mask: "deny" }).ok).toBe(true);
    expect(delegationDenied.run(context(deny, 200, "not-found"), { from, mask: "deny" }).message).toBe(
      "expected 404 for the deny mask, saw 200",
    );
  });

  it("fails other statuses", () => {
    expect(delegationDenied.run(context(undefined, 500, "either"), { from, mask: "deny" }).message).toBe(
      "expected 200 with Deny evidence for the deny mask, saw 500",
    );
  });
});
