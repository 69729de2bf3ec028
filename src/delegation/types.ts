/** The iSHARE language of delegation as data: masks (questions) and evidence (answers), spec digest §5.2-5.3. */

/** The effect of a rule, and the answer to a question. */
export type Effect = "Permit" | "Deny";

/** What a policy or rule is about. Missing lists, or lists holding `"*"`, mean "all". */
export interface ResourceTarget {
  readonly type: string;
  readonly identifiers?: readonly string[];
  readonly attributes?: readonly string[];
}

/** A policy's target: the resource, the actions on it and (optionally) the service providers it holds for. */
export interface PolicyTarget {
  readonly resource: ResourceTarget;
  readonly actions: readonly string[];
  readonly environment?: { readonly serviceProviders?: readonly string[] };
}

/** A rule's target restricts the policy's; every member is optional (missing actions: all actions). */
export interface RuleTarget {
  readonly resource?: Partial<ResourceTarget>;
  readonly actions?: readonly string[];
}

/** One rule: the first is the Permit default, further ones Deny restrictions (spec digest §5.3). */
export interface Rule {
  readonly effect: Effect;
  readonly target?: RuleTarget;
}

export interface Policy {
  readonly target: PolicyTarget;
  readonly rules: readonly Rule[];
}

/**
 * A license: its identifier (every version), or from iSHARE 3.0 a group of them that all (`allOf`) or any
 * (`anyOf`) apply (OpenAPI 3.0 `licenseRule`; a policy set's licenses are a `licenseRuleList`).
 */
export type LicenseRule =
  | string
  | { readonly allOf: readonly LicenseRule[] }
  | { readonly anyOf: readonly LicenseRule[] };

export interface PolicySet {
  readonly maxDelegationDepth?: number;
  readonly target?: { readonly environment?: { readonly licenses?: readonly LicenseRule[] } };
  readonly policies: readonly Policy[];
}

/** The `delegationRequest` member of a mask: whose policies (issuer), for whom (access subject), about what. */
export interface DelegationRequest {
  readonly policyIssuer: string;
  readonly target: { readonly accessSubject: string };
  readonly policySets: readonly PolicySet[];
  readonly delegation_path?: readonly string[];
  readonly previous_steps?: readonly string[];
  readonly delegationPath?: readonly string[];
  readonly previousSteps?: readonly string[];
}

/** A delegation mask, the body of `POST /delegation` (spec digest §5.2). */
export interface DelegationMask {
  readonly delegationRequest: DelegationRequest;
  readonly delegation_path?: readonly string[];
  readonly previous_steps?: readonly string[];
  readonly delegationPath?: readonly string[];
  readonly previousSteps?: readonly string[];
}

/** The `delegationEvidence` member of a delegation_token (spec digest §5.3). */
export interface DelegationEvidence {
  /** Unix seconds. */
  readonly notBefore: number;
  /** Unix seconds. */
  readonly notOnOrAfter: number;
  readonly policyIssuer: string;
  readonly target: { readonly accessSubject: string };
  readonly policySets: readonly PolicySet[];
}
