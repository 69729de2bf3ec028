/**
 * A check is one small named fact about a response (OIDF "condition" style). It does not know whether its rule
 * is a MUST or a SHOULD here: the case that uses it gives the severity and the rule reference.
 */
import type { HttpResponse } from "../http/response.ts";
import type { OidcCheckView } from "../model/oidc.ts";
import type { RegistryTrust } from "../model/registry-trust.ts";
import type { ResolvedTarget } from "../model/target.ts";

export type JsonParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

/** A compact JWS found in the response, decoded but not yet verified. */
export type JwtParse =
  | {
      readonly ok: true;
      /** Where it was found, for messages: `body.capabilities_token`. */
      readonly where: string;
      readonly compact: string;
      readonly header: Readonly<Record<string, unknown>>;
      readonly payload: Readonly<Record<string, unknown>>;
    }
  | { readonly ok: false; readonly where: string; readonly message: string };

/** What a check may look at. Lazy parts (JSON, JWTs) are parsed once per response and shared by checks. */
export interface CheckContext {
  readonly response: HttpResponse;
  readonly target: ResolvedTarget;
  /** Epoch milliseconds at which the response is judged. */
  readonly nowMs: number;
  /** The response body parsed as JSON (cached). */
  json(): JsonParse;
  /** The JWT at a JSON path of the body (`capabilities_token`), or the whole body when `from` is `body` (cached). */
  jwt(from: string): JwtParse;
  /** Renders `{{...}}` placeholders (client.id, target.id, steps.X...) in a check parameter. */
  render(template: string): string;
  /**
   * The registry's view of the target (trusted list, party record), fetched once per run; present only when
   * the target names `trust.registry`. Rejects with RegistryError when that trust cannot be established.
   */
  registryTrust?(): Promise<RegistryTrust>;
  /** In an OIDC step: its state, nonce, redirect_uri and, after a login flow, what the flow did. */
  readonly oidc?: OidcCheckView;
}

export interface CheckVerdict {
  readonly ok: boolean;
  /** One line; on failure: what was expected, what was seen, and where. */
  readonly message: string;
}

/** JSON Schema of a check's `with:` parameters, validated when the suite is loaded. */
export type ParamsSchema = Readonly<Record<string, unknown>>;

export interface CheckDefinition<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly params: ParamsSchema;
  run(context: CheckContext, params: P): CheckVerdict | Promise<CheckVerdict>;
}

/** Declares a check; the generic keeps `run`'s params typed while the registry stores them uniformly. */
export function defineCheck<P>(definition: CheckDefinition<P>): CheckDefinition<P> {
  return definition;
}

export const pass = (message: string): CheckVerdict => ({ ok: true, message });
export const fail = (message: string): CheckVerdict => ({ ok: false, message });

/** A short, safe rendering of a value for messages (strings quoted, long values cut). */
export function show(value: unknown, max = 120): string {
  let text: string;
  if (value === undefined) text = "(absent)";
  else if (typeof value === "string") text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
