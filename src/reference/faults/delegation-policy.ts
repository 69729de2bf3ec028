/** Faults of the policy creation endpoint `POST /delegationPolicy` (iSHARE 2.1+; OpenAPI, Authorisation rules). */
import type { FaultSpec } from "../fault-spec.ts";

/** Faults of `/delegationPolicy` (suite delegation-policy), keyed by name (`policy.<what it does wrong>`). */
export const DELEGATION_POLICY_FAULTS = {
  "policy.no-token-required": {
    description: "Creates the policy without an access token, as if the token's iss had asked",
    rule: "OpenAPI /delegationPolicy 401",
    caughtBy: ["POLICY-002"],
    versions: ["2.1", "3.0"],
  },
  "policy.skips-token-lookup": {
    description: "Accepts any well-formed bearer token without looking it up (unknown and expired ones too)",
    rule: "OpenAPI /delegationPolicy 401",
    caughtBy: ["POLICY-003", "POLICY-004"],
    versions: ["2.1", "3.0"],
  },
  "policy.skips-rules": {
    description: "Creates every requested policy without evaluating the Entitled Party's authorisation rules",
    rule: "OpenAPI /delegationPolicy 403; Reference — Authorisation rules",
    caughtBy: ["POLICY-005"],
    versions: ["2.1", "3.0"],
  },
  "policy.token-skip-signature": {
    description: "Does not verify the signature of the Policy Creation Request Token",
    rule: "iSHARE JWT; Authentication — Certificate Validation",
    caughtBy: ["POLICY-006"],
    versions: ["2.1", "3.0"],
  },
  "policy.token-accepts-expired": {
    description: "Accepts an expired Policy Creation Request Token",
    rule: "iSHARE JWT — Payload (exp)",
    caughtBy: ["POLICY-007"],
    versions: ["2.1", "3.0"],
  },
  "policy.token-skip-chain": {
    description: "Does not verify the x5c chain of the Policy Creation Request Token up to a trusted root",
    rule: "Authentication — Certificate Validation",
    caughtBy: ["POLICY-008"],
    versions: ["2.1", "3.0"],
  },
  "policy.crashes-without-request-token": {
    description: "Fails with 500 when the body has no delegationPolicyRequestToken",
    rule: "OpenAPI 3.0 /delegationPolicy 400",
    caughtBy: ["POLICY-009"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
} as const satisfies Record<string, FaultSpec>;
