/** Faults of the delegation endpoint: each breaks one rule of spec digest §2.5 and §5. */
import type { FaultSpec } from "../fault-spec.ts";

/** Faults of `POST /delegation` (suite delegation), keyed by name (`delegation.<what it does wrong>`). */
export const DELEGATION_FAULTS = {
  "delegation.no-token-required": {
    description: "Answers without an access token, as if the mask's access subject had asked",
    rule: "§5.1",
    caughtBy: ["DELEG-001"],
  },
  "delegation.skips-token-lookup": {
    description: "Accepts any well-formed bearer token without looking it up (unknown and expired ones too)",
    rule: "§5.1",
    caughtBy: ["DELEG-002", "DELEG-003"],
  },
  "delegation.accepts-expired-token": {
    description: "Accepts an access token it issued after that token has expired",
    rule: "§5.1",
    caughtBy: ["DELEG-003"],
  },
  "delegation.token-leaf-only-x5c": {
    description: "Signs the delegation_token with only its own certificate in x5c, not the chain",
    rule: "§2.2",
    caughtBy: ["DELEG-010"],
  },
  "delegation.wrong-policy-issuer": {
    description: "Puts its own party id as the evidence's policyIssuer instead of the mask's",
    rule: "§5.3",
    caughtBy: ["DELEG-010", "DELEG-011", "DELEG-021"],
  },
  "delegation.drops-service-providers": {
    description: "Leaves target.environment.serviceProviders out of the policies it echoes",
    rule: "§5.3",
    caughtBy: ["DELEG-010", "DELEG-011", "DELEG-021"],
  },
  "delegation.evidence-expired": {
    description: "Issues evidence whose notOnOrAfter has already passed",
    rule: "§5.3",
    caughtBy: ["DELEG-010"],
  },
  "delegation.no-licenses": {
    description: "Leaves the licenses out of the evidence's policy sets",
    rule: "§5.3",
    caughtBy: ["DELEG-010"],
  },
  "delegation.ignores-deny-rules": {
    description:
      "Evaluates only the Permit default of a policy, so a Deny rule never restricts it (Permit for the Deny mask)",
    rule: "§5.3",
    caughtBy: ["DELEG-011"],
  },
  "delegation.not-found-for-deny": {
    description: "Answers 404 instead of Deny evidence when its policy does not permit the mask",
    rule: "§5.1",
    caughtBy: ["DELEG-011"],
  },
  "delegation.aud-is-access-subject": {
    description: "Addresses the delegation_token to the access subject instead of the requesting party",
    rule: "§5.1",
    caughtBy: ["DELEG-021"],
  },
  "delegation.no-requester-check": {
    description: "Answers any requester, whether or not it is issuer or subject or brings previous_steps",
    rule: "§5.2",
    caughtBy: [
      "DELEG-020",
      "DELEG-022",
      "DELEG-023",
      "DELEG-035",
      "DELEG-036",
      "DELEG-037",
      "DELEG-038",
      "DELEG-039",
    ],
  },
  "delegation.ignores-previous-steps": {
    description: "Never reads previous_steps, so a service provider with the client's assertion is refused",
    rule: "§2.5, §5.2",
    caughtBy: ["DELEG-021"],
  },
  "delegation.previous-steps-root-only": {
    description: "Reads previous_steps only at the root (the 2.0 and 3.0 placement) whatever its version",
    rule: "§5.2, §12; OpenAPI 2.1 delegation request",
    caughtBy: ["DELEG-021"],
    // 3.0 puts previousSteps at the root too (OpenAPI 3.0 delegationRequestBody): the fault is 2.1's.
    versions: ["2.1"],
  },
  "delegation.previous-steps-nested-only": {
    description:
      "Reads the previous steps only inside delegationRequest (the 2.1 placement) whatever its version",
    rule: "§5.2, §12; OpenAPI 3.0 delegationRequestBody (previousSteps beside delegationRequest)",
    caughtBy: ["DELEG-021"],
    versions: ["2.0", "3.0"],
  },
  "delegation.previous-steps-ignore-aud": {
    description: "Accepts a previous_steps assertion addressed to another party than the requester",
    rule: "§2.5",
    caughtBy: ["DELEG-022"],
  },
  "delegation.previous-steps-accept-expired": {
    description: "Accepts an expired previous_steps assertion",
    rule: "§2.5, §2.6",
    caughtBy: ["DELEG-023"],
  },
  "delegation.crashes-on-non-json": {
    description: "Fails with 500 when the body is not JSON",
    rule: "§5.1",
    caughtBy: ["DELEG-030"],
  },
  "delegation.crashes-without-delegation-request": {
    description: "Fails with 500 when the body has no delegationRequest",
    rule: "§5.1, §5.2",
    caughtBy: ["DELEG-031"],
  },
  "delegation.empty-evidence-without-policy-sets": {
    description: "Answers 200 with evidence of no policy sets when the mask has none",
    rule: "§5.2",
    caughtBy: ["DELEG-032"],
  },
  "delegation.accepts-policy-without-permit": {
    description: "Answers 200 to a mask whose policy has no Permit rule",
    rule: "§5.2",
    caughtBy: ["DELEG-033"],
    strict: true,
  },
  "delegation.refuses-policy-context": {
    description:
      "Refuses with 400 a mask whose policy target carries a context (reads 3.0 masks by the 2.x model)",
    rule: "OpenAPI 3.0 policyRequestEvidence (target.context)",
    caughtBy: ["DELEG-042"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "delegation.defaults-access-subject": {
    description: "Takes the requester as access subject when the mask names none",
    rule: "§5.2",
    caughtBy: ["DELEG-034"],
  },
  "delegation.previous-steps-skip-signature": {
    description: "Does not verify the signature of a previous_steps assertion",
    rule: "§2.5, §2.6",
    caughtBy: ["DELEG-035"],
  },
  "delegation.previous-steps-trusts-iss": {
    description:
      "Takes a previous_steps assertion as evidence of whoever signed it, not only of the access subject",
    rule: "§2.5, §5.2",
    caughtBy: ["DELEG-036"],
  },
  "delegation.previous-steps-skip-chain": {
    description: "Does not verify the x5c chain of a previous_steps assertion up to a trusted-list CA",
    rule: "§2.5, §8",
    caughtBy: ["DELEG-037", "DELEG-038"],
  },
  "delegation.previous-steps-skip-binding": {
    description:
      "Does not compare a previous_steps signer's certificate with the access subject's registered ones",
    rule: "§2.5, §3.3",
    caughtBy: ["DELEG-039"],
  },
} as const satisfies Record<string, FaultSpec>;
