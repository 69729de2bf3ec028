/** What a run records: per check, per step (one HTTP exchange), per case. Serialised into reports. */
import type { FlowHop } from "./oidc.ts";

/**
 * passed: every `fail` check held (warnings may be listed);
 * failed: the target broke a rule;
 * broken: configuration, network or harness fault, never blamed on the target;
 * skipped: not applicable to this target, with the reason.
 */
export type Outcome = "passed" | "failed" | "broken" | "skipped";
export const OUTCOMES: readonly Outcome[] = ["passed", "failed", "broken", "skipped"];

export type Severity = "fail" | "warn";

/** A rule reference resolved from suites/refs.yaml. */
export interface RuleRef {
  /** Catalogue key, e.g. `token.request`. */
  readonly key: string;
  /** Spec page and section, e.g. `Access token (M2M) — Request`. */
  readonly title: string;
  /** Public link to the rule, with the section's anchor where the page has one (developer portal, RFC). */
  readonly url: string;
  /** The section of that page holding the rule, e.g. `JWT Header`, `§5.2`. */
  readonly section: string;
}

export interface CheckResult {
  readonly check: string;
  readonly severity: Severity;
  readonly ok: boolean;
  /** One line: what was expected, what was seen, and where. */
  readonly message: string;
  readonly ref: RuleRef;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Body as sent, secrets redacted unless --show-secrets. */
  readonly body?: string;
}

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Body text (possibly cut at the size cap), secrets redacted unless --show-secrets. */
  readonly body: string;
  readonly truncated: boolean;
  readonly durationMs: number;
}

/** A decoded JWT met in a request or response, for the report. */
export interface RecordedJwt {
  readonly where: string;
  readonly header: unknown;
  readonly payload: unknown;
}

export interface StepResult {
  readonly name: string;
  /** Defects planted in this step's client assertion (names from src/assertions/defects.ts), when any. */
  readonly defects?: readonly string[];
  /** The identity the step acted as, when not the client. */
  readonly as?: string;
  readonly request?: RecordedRequest;
  readonly response?: RecordedResponse;
  /** Set when the exchange failed below HTTP (timeout, reset, cap exceeded). */
  readonly error?: string;
  /** Connection errors of earlier attempts, when the request was retried (opt-in, idempotent methods only). */
  readonly retries?: readonly string[];
  readonly checks: readonly CheckResult[];
  readonly jwts: readonly RecordedJwt[];
  /** A login flow's hops (OIDC steps): every request the flow made, with status and redirect target. */
  readonly hops?: readonly FlowHop[];
  /** Screenshots of the browser login driver (base64 PNG), shown as attachments in the Allure report. */
  readonly screenshots?: readonly { readonly name: string; readonly pngBase64: string }[];
}

export interface CaseResult {
  readonly id: string;
  readonly suite: string;
  readonly title: string;
  readonly ref: RuleRef;
  readonly tags: readonly string[];
  readonly status: Outcome;
  /** Why it failed, broke or was skipped; for passed cases the warnings joined, or empty. */
  readonly message: string;
  readonly warnings: readonly string[];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly steps: readonly StepResult[];
  /**
   * Set when the case was not judged (status `broken`): its positive control's request was not accepted in this
   * run, or a precondition (an access token, trust in the minted certificates) did not hold. The message then
   * starts with `not judged: `.
   */
  readonly notJudged?: NotJudged;
}

/** Why a case was not judged. */
export interface NotJudged {
  /** The positive control that was not accepted (absent for a precondition). */
  readonly control?: string;
  /** One sentence: what did not hold, as seen. */
  readonly reason: string;
}
