/**
 * The token request before its client assertion: method, body encoding and form parameters, as small
 * named steps, each bent only by the faults it lists (spec digest §3.1).
 */
import type { FaultName, FaultSet } from "./faults.ts";
import { type OAuthError, oauthError } from "./http-io.ts";

export const CLIENT_CREDENTIALS = "client_credentials";
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
export const ISHARE_SCOPE = "iSHARE";

/** The raw HTTP request as the token endpoint sees it. */
export interface RawTokenRequest {
  readonly method: string;
  /** The query string without `?` (empty when none). */
  readonly query: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A rejection: HTTP status, optional headers and the RFC 6749 error body. */
export interface Rejection {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: OAuthError;
}

/** Form parameters being checked, and what the checks decided. */
export interface TokenRequestDraft {
  readonly params: ReadonlyMap<string, string>;
  /** The client id the token is for; set from the form, or from the assertion's iss (fault). */
  clientId?: string;
  /** client_id was missing and the `token.client-id-optional` fault takes it from the assertion. */
  clientIdFromAssertion: boolean;
  assertion?: string;
  /** client_assertion was missing and the `token.accepts-missing-assertion` fault waives it. */
  skipAssertion: boolean;
}

/** One check of the form parameters. */
export interface RequestStep {
  readonly name: string;
  readonly rule: string;
  /** Faults that disable or bend this step (and no other step of the token endpoint). */
  readonly bentBy: readonly FaultName[];
  run(draft: TokenRequestDraft, faults: FaultSet): OAuthError | undefined;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function formParameters(text: string): Map<string, string> | OAuthError {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (params.has(name)) return oauthError("invalid_request", `parameter ${name} is given more than once`);
    params.set(name, value);
  }
  return params;
}

function jsonParameters(text: string): Map<string, string> | OAuthError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return oauthError("invalid_request", "the JSON body does not parse");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return oauthError("invalid_request", "the JSON body is not an object");
  }
  const params = new Map<string, string>();
  for (const [name, member] of Object.entries(value)) {
    if (typeof member !== "string") return oauthError("invalid_request", `parameter ${name} is not a string`);
    params.set(name, member);
  }
  return params;
}

/**
 * Method and body encoding (spec digest §3.1): POST with an application/x-www-form-urlencoded body.
 * Faults: `token.accepts-get` reads a GET's parameters from the query (or a form body);
 * `token.accepts-json-body` reads a JSON object body.
 */
export const TRANSPORT_STEPS = [
  { name: "method is POST", rule: "§3.1", bentBy: ["token.accepts-get"] },
  { name: "body is form-encoded", rule: "§3.1", bentBy: ["token.accepts-json-body"] },
] as const satisfies ReadonlyArray<Omit<RequestStep, "run">>;

/** Reads the parameters of a token request, or rejects it for its method or body encoding. */
export function readTokenParameters(
  request: RawTokenRequest,
  faults: FaultSet,
): { readonly params: Map<string, string> } | Rejection {
  const isGet = request.method === "GET" && faults.has("token.accepts-get");
  if (request.method !== "POST" && !isGet) {
    return {
      status: 405,
      headers: { allow: "POST" },
      body: oauthError("invalid_request", `method ${request.method} is not allowed; use POST`),
    };
  }
  let parsed: Map<string, string> | OAuthError;
  const type = mediaType(request.contentType);
  if (isGet && (request.query.length > 0 || request.body.length === 0)) {
    parsed = formParameters(request.query);
  } else if (type === "application/x-www-form-urlencoded") {
    parsed = formParameters(request.body);
  } else if (type === "application/json" && faults.has("token.accepts-json-body")) {
    parsed = jsonParameters(request.body);
  } else {
    parsed = oauthError(
      "invalid_request",
      `Content-Type ${request.contentType ?? "(none)"} is not application/x-www-form-urlencoded`,
    );
  }
  return parsed instanceof Map ? { params: parsed } : { status: 400, body: parsed };
}

/** The form checks, in order (spec digest §3.1, §3.3 step 1). */
export const REQUEST_STEPS: readonly RequestStep[] = [
  {
    name: "grant_type is client_credentials",
    rule: "§3.1",
    bentBy: ["token.ignores-grant-type"],
    run(draft, faults) {
      if (faults.has("token.ignores-grant-type")) return undefined;
      const grantType = draft.params.get("grant_type");
      if (grantType === undefined) return oauthError("invalid_request", "grant_type is missing");
      if (grantType !== CLIENT_CREDENTIALS) {
        return oauthError("unsupported_grant_type", `grant_type ${grantType} is not ${CLIENT_CREDENTIALS}`);
      }
      return undefined;
    },
  },
  {
    name: "scope contains iSHARE",
    rule: "§3.1",
    bentBy: ["token.ignores-scope", "token.scope-case-insensitive"],
    run(draft, faults) {
      if (faults.has("token.ignores-scope")) return undefined;
      const scope = draft.params.get("scope");
      if (scope === undefined) return oauthError("invalid_request", "scope is missing");
      const tokens = scope.split(" ");
      const found = faults.has("token.scope-case-insensitive")
        ? tokens.some((token) => token.toLowerCase() === ISHARE_SCOPE.toLowerCase())
        : tokens.includes(ISHARE_SCOPE);
      if (!found) return oauthError("invalid_scope", `scope "${scope}" does not contain ${ISHARE_SCOPE}`);
      return undefined;
    },
  },
  {
    name: "client_id present",
    rule: "§3.1",
    bentBy: ["token.client-id-optional"],
    run(draft, faults) {
      const clientId = draft.params.get("client_id");
      if (clientId !== undefined && clientId.length > 0) {
        draft.clientId = clientId;
        return undefined;
      }
      if (faults.has("token.client-id-optional")) {
        draft.clientIdFromAssertion = true;
        return undefined;
      }
      return oauthError("invalid_request", "client_id is missing");
    },
  },
  {
    name: "client_assertion_type is jwt-bearer",
    rule: "§3.1",
    bentBy: ["token.ignores-assertion-type"],
    run(draft, faults) {
      if (faults.has("token.ignores-assertion-type")) return undefined;
      const type = draft.params.get("client_assertion_type");
      if (type === JWT_BEARER_ASSERTION_TYPE) return undefined;
      return oauthError(
        "invalid_request",
        type === undefined
          ? "client_assertion_type is missing"
          : `client_assertion_type ${type} is not ${JWT_BEARER_ASSERTION_TYPE}`,
      );
    },
  },
  {
    name: "client_assertion present",
    rule: "§3.1",
    bentBy: ["token.accepts-missing-assertion"],
    run(draft, faults) {
      const assertion = draft.params.get("client_assertion");
      if (assertion !== undefined && assertion.length > 0) {
        draft.assertion = assertion;
        return undefined;
      }
      if (faults.has("token.accepts-missing-assertion") && draft.clientId !== undefined) {
        draft.skipAssertion = true;
        return undefined;
      }
      return oauthError("invalid_request", "client_assertion is missing");
    },
  },
];

/** Runs {@link REQUEST_STEPS} over the parameters; the first failing step rejects with 400. */
export function checkTokenParameters(
  params: ReadonlyMap<string, string>,
  faults: FaultSet,
): { readonly draft: TokenRequestDraft } | Rejection {
  const draft: TokenRequestDraft = { params, clientIdFromAssertion: false, skipAssertion: false };
  for (const step of REQUEST_STEPS) {
    const error = step.run(draft, faults);
    if (error) return { status: 400, body: error };
  }
  return { draft };
}
