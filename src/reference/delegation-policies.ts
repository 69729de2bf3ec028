/**
 * The reference Authorisation Registry's policy store and the test masks it publishes for the harness (spec
 * digest §5.5): Banana & Co (the entitled party) lets ABC Trucking (the client) read container data at
 * Warehouse 13 (the service provider), every attribute but the weight.
 */
import type { DelegationMask, PolicySet } from "../delegation/index.ts";
import type { TestPki } from "../pki/index.ts";

/** Resource type, identifier, attributes and action of the test policy (spec digest §11, CTT example values). */
export const TEST_POLICY = {
  type: "CONTAINER.DATA",
  identifier: "ID.12345",
  permittedAttribute: "CONTAINER.ETA",
  deniedAttribute: "CONTAINER.WEIGHT",
  action: "iSHARE.READ",
  license: "ISHARE.0001",
} as const;

/** The policies one issuer has given one access subject, in evidence form (spec digest §5.3). */
export interface StoredPolicy {
  readonly policyIssuer: string;
  readonly accessSubject: string;
  /** Unix seconds. */
  readonly notBefore: number;
  /** Unix seconds. */
  readonly notOnOrAfter: number;
  readonly policySets: readonly PolicySet[];
}

/** Stored policies by (policyIssuer, accessSubject). */
export class PolicyStore {
  readonly #byPair = new Map<string, StoredPolicy>();

  constructor(policies: readonly StoredPolicy[]) {
    for (const policy of policies)
      this.#byPair.set(PolicyStore.#key(policy.policyIssuer, policy.accessSubject), policy);
  }

  static #key(issuer: string, subject: string): string {
    return JSON.stringify([issuer, subject]);
  }

  /** The policies of `policyIssuer` for `accessSubject`, if any. */
  find(policyIssuer: string, accessSubject: string): StoredPolicy | undefined {
    return this.#byPair.get(PolicyStore.#key(policyIssuer, accessSubject));
  }
}

const YEAR_S = 365 * 86_400;

/**
 * The reference AR's store: one policy of the entitled party for the client: CONTAINER.DATA, every
 * identifier and attribute, iSHARE.READ, at the service provider; a Deny rule takes the weight attribute out
 * (deny-overrides). Valid from a day before `nowMs` for a year.
 */
export function referencePolicies(pki: TestPki, nowMs: number): PolicyStore {
  const { entitledParty, client, serviceProvider } = pki.parties;
  const now = Math.floor(nowMs / 1000);
  return new PolicyStore([
    {
      policyIssuer: entitledParty.partyId,
      accessSubject: client.partyId,
      notBefore: now - 86_400,
      notOnOrAfter: now + YEAR_S,
      policySets: [
        {
          maxDelegationDepth: 0,
          target: { environment: { licenses: [TEST_POLICY.license] } },
          policies: [
            {
              target: {
                resource: { type: TEST_POLICY.type, identifiers: ["*"], attributes: ["*"] },
                actions: [TEST_POLICY.action],
                environment: { serviceProviders: [serviceProvider.partyId] },
              },
              rules: [
                { effect: "Permit" },
                {
                  effect: "Deny",
                  target: {
                    resource: { type: TEST_POLICY.type, attributes: [TEST_POLICY.deniedAttribute] },
                    actions: [TEST_POLICY.action],
                  },
                },
              ],
            },
          ],
        },
      ],
    },
  ]);
}

function maskFor(pki: TestPki, attribute: string): DelegationMask {
  const { entitledParty, client, serviceProvider } = pki.parties;
  return {
    delegationRequest: {
      policyIssuer: entitledParty.partyId,
      target: { accessSubject: client.partyId },
      policySets: [
        {
          policies: [
            {
              target: {
                resource: {
                  type: TEST_POLICY.type,
                  identifiers: [TEST_POLICY.identifier],
                  attributes: [attribute],
                },
                actions: [TEST_POLICY.action],
                environment: { serviceProviders: [serviceProvider.partyId] },
              },
              rules: [{ effect: "Permit" }],
            },
          ],
        },
      ],
    },
  };
}

/** The masks the reference AR gives the harness: the ETA is permitted, the weight denied (spec digest §5.5). */
export function referenceMasks(pki: TestPki): {
  readonly permit: DelegationMask;
  readonly deny: DelegationMask;
} {
  return {
    permit: maskFor(pki, TEST_POLICY.permittedAttribute),
    deny: maskFor(pki, TEST_POLICY.deniedAttribute),
  };
}

/**
 * An Entitled Party's authorisation rules at the reference AR (iSHARE 2.1+, Reference — Authorisation rules):
 * which parties may have which policies of this issuer created for themselves through `/delegationPolicy`.
 * At least one limit on the kind of delegation is required, so there is no "*" rule.
 */
export interface AuthorisationRule {
  readonly policyIssuer: string;
  /** Parties that may request a policy (each only with itself as accessSubject). */
  readonly requestors: readonly string[];
  /** Resource types a requested policy may name. */
  readonly resourceTypes: readonly string[];
  /** Actions a requested policy may grant (all of its actions must be among these). */
  readonly actions: readonly string[];
}

/** The reference Entitled Party (Banana & Co) lets the client have read access to container data created. */
export function referenceAuthorisationRules(pki: TestPki): readonly AuthorisationRule[] {
  const { entitledParty, client } = pki.parties;
  return [
    {
      policyIssuer: entitledParty.partyId,
      requestors: [client.partyId],
      resourceTypes: [TEST_POLICY.type],
      actions: [TEST_POLICY.action],
    },
  ];
}

/** A policy creation request of the client for a policy of the entitled party granting `action` on the ETA. */
function policyRequestFor(pki: TestPki, nowMs: number, action: string): Record<string, unknown> {
  const { entitledParty, client, serviceProvider } = pki.parties;
  const now = Math.floor(nowMs / 1000);
  return {
    notBefore: now,
    notOnOrAfter: now + YEAR_S,
    policyRequestor: client.partyId,
    policyIssuer: entitledParty.partyId,
    target: { accessSubject: client.partyId },
    policySets: [
      {
        maxDelegationDepth: 0,
        target: { environment: { licenses: [TEST_POLICY.license] } },
        policies: [
          {
            target: {
              resource: {
                type: TEST_POLICY.type,
                identifiers: [TEST_POLICY.identifier],
                attributes: [TEST_POLICY.permittedAttribute],
              },
              actions: [action],
              environment: { serviceProviders: [serviceProvider.partyId] },
            },
            rules: [{ effect: "Permit" }],
          },
        ],
      },
    ],
  };
}

/**
 * The policy creation requests the reference AR gives the harness: reading the ETA is within the entitled
 * party's authorisation rules (created, 200), deleting it is not (refused, 403).
 */
export function referencePolicyRequests(
  pki: TestPki,
  nowMs: number,
): { readonly accepted: Record<string, unknown>; readonly refused: Record<string, unknown> } {
  return {
    accepted: policyRequestFor(pki, nowMs, TEST_POLICY.action),
    refused: policyRequestFor(pki, nowMs, "iSHARE.DELETE"),
  };
}
