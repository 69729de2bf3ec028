/** A suite as loaded from suites/<role>.yaml (validated against schemas/suite.schema.json). */
import type { RuleRef, Severity } from "./result.ts";
import type { IshareVersion } from "./target.ts";

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
}

export interface AssertionSpec {
  readonly defects?: readonly string[];
  readonly alg?: "RS256" | "RS384" | "RS512";
  readonly reuse?: string;
}

export interface CheckUse {
  readonly check: string;
  readonly with?: unknown;
  readonly severity: Severity;
  readonly ref: RuleRef;
  readonly note?: string;
}

export interface SuiteStep {
  readonly id?: string;
  readonly title?: string;
  /** Name of a base request in the suite's `requests`. */
  readonly request: string;
  /** Identity to act as: `client` (default) or a key of the target's identities. */
  readonly as: string;
  readonly assertion?: AssertionSpec;
  readonly mutate?: RequestTemplate;
  readonly expect: readonly CheckUse[];
}

export interface SuiteCase {
  readonly id: string;
  readonly title: string;
  readonly ref: RuleRef;
  readonly tags: readonly string[];
  readonly description?: string;
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
