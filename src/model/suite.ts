/** A suite as loaded from suites/<role>.yaml (validated against schemas/suite.schema.json). */
import type { RuleRef, Severity } from "./result.ts";
import type { IshareVersion, MaskName, PolicyRequestName } from "./target.ts";

export type BodyAs = "form" | "json" | "query";

/** A request template; string values may hold `{{placeholders}}`; `null` removes a key in a mutation. */
export interface RequestTemplate {
  readonly method?: string;
  readonly endpoint?: string;
  readonly path?: string;
  readonly query?: Readonly<Record<string, string | null>>;
  readonly headers?: Readonly<Record<string, string | null>>;
  readonly form?: Readonly<Record<string, string | null>>;
  readonly json?: unknown;
  readonly body?: string;
  readonly bodyAs?: BodyAs;
  /** JSON body: one of the target's delegation masks (targets.yaml `delegation.permitMask` / `denyMask`). */
  readonly mask?: MaskName;
  /**
   * Client assertions to send as previous_steps, placed and named as the target's version says (spec digest
   * §5.2); `null` in a mutation removes them.
   */
  readonly previousSteps?: readonly PreviousStepSpec[] | null;
  /** Changes to the JSON body once built (mask, previous steps), in order; a mutation's follow the base's. */
  readonly edits?: readonly JsonEdit[];
  /** JSON body: one of the target's userinfo masks (targets.yaml `oidc.userinfo.permitMask` / `denyMask`). */
  readonly userinfoMask?: MaskName;
  /**
   * JSON body `{"delegationPolicyRequestToken": …}`: one of the target's policy creation requests, signed by the
   * acting identity as an iSHARE JWT addressed to the target (iSHARE 2.1+ `POST /delegationPolicy`).
   */
  readonly policyRequest?: PolicyRequestSpec;
}

/** The Policy Creation Request Token of a `/delegationPolicy` request. */
export interface PolicyRequestSpec {
  /** Which of the target's requests (targets.yaml `delegation.policyRequest` / `refusedPolicyRequest`). */
  readonly policy: PolicyRequestName;
  /** Client-assertion defects planted in the token (`expired`, `tampered-payload`, `untrusted-root`, ...). */
  readonly defects?: readonly string[];
}

/**
 * The request object of an authorization request (`{{requestObject}}`): the iSHARE request parameters,
 * signed by the acting identity (or `by`), with client-assertion defects, claim changes, or an earlier step's
 * request object sent again.
 */
export interface RequestObjectSpec {
  readonly defects?: readonly string[];
  /** Identity whose key and chain sign it while iss stays the acting party (an impostor). */
  readonly by?: string;
  /** Claims to set (templated) or, with `null`, to leave out. */
  readonly claims?: Readonly<Record<string, string | null>>;
  /** Send the request object of this earlier step again (a replay). */
  readonly reuse?: string;
  /** `false`: send it signed only, also where the version asks for a JWE (iSHARE 3.0). */
  readonly encrypt?: boolean;
}

/** One previous step: a client assertion signed by `by` for the acting party (aud = the requester). */
export interface PreviousStepSpec {
  /** Identity that signs: `client` (default: the mask's access subject) or a key of the target's identities. */
  readonly by?: string;
  readonly defects?: readonly string[];
}

/** One change to a JSON body at a dotted path (`delegationRequest.policySets[0].policies[0].rules`). */
export type JsonEdit = { readonly remove: string } | { readonly set: string; readonly value: unknown };

export interface AssertionSpec {
  readonly defects?: readonly string[];
  readonly alg?: "RS256" | "RS384" | "RS512";
  readonly reuse?: string;
  /**
   * Further payload claims (strings templated), for a signed request that is an iSHARE JWT carrying data
   * (the 2.x party creation token's `parties_info`); applied before the defects.
   */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export interface CheckUse {
  readonly check: string;
  readonly with?: unknown;
  readonly severity: Severity;
  readonly ref: RuleRef;
  readonly note?: string;
  /** iSHARE versions the check applies to (absent: all): a rule that is a MUST in one version, a SHOULD in another. */
  readonly versions?: readonly IshareVersion[];
}

export interface SuiteStep {
  readonly id?: string;
  readonly title?: string;
  /** Name of a base request in the suite's `requests`. */
  readonly request: string;
  /** Identity to act as: `client` (default) or a key of the target's identities. */
  readonly as: string;
  readonly assertion?: AssertionSpec;
  readonly requestObject?: RequestObjectSpec;
  /**
   * `login`: the request starts an OIDC login; the IdP's redirects are followed hop by hop (its origin only),
   * the test user logs in with the target's login driver, and the flow ends at the harness's return endpoint.
   */
  readonly flow?: "login";
  readonly mutate?: RequestTemplate;
  readonly expect: readonly CheckUse[];
}

export interface SuiteCase {
  readonly id: string;
  readonly title: string;
  readonly ref: RuleRef;
  readonly tags: readonly string[];
  readonly description?: string;
  /**
   * Negative cases: the positive case that sends the same request without this case's mutation, to the same
   * endpoint. The negative is judged only when its control's request was accepted in the same run.
   */
  readonly control?: string;
  readonly versions?: readonly IshareVersion[];
  readonly steps: readonly SuiteStep[];
}

export interface Suite {
  readonly suite: string;
  readonly title: string;
  readonly description?: string;
  readonly feature: string;
  /** `any`, or the roles this suite applies to. */
  readonly roles: "any" | readonly string[];
  readonly requests: Readonly<Record<string, RequestTemplate>>;
  readonly cases: readonly SuiteCase[];
  readonly file: string;
}
