/** Reading `Authorization: Bearer <token>` against the tokens the reference target issued (RFC 6750 §2.1). */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { IssuedToken } from "./access-tokens.ts";
import type { ReferenceContext } from "./context.ts";
import { type OAuthError, oauthError, sendError } from "./http-io.ts";

/** `Bearer <token>` (RFC 6750 §2.1); the scheme name is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
/** Under `auth.bearer-case-sensitive`: the scheme only as spelt in the examples. */
const BEARER_CASE_SENSITIVE = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/;
/** Under `auth.accepts-raw-token`: a header that is the bare token. */
const RAW_TOKEN = /^([A-Za-z0-9\-._~+/]+=*)$/;

/** No header, a valid token, or why the request is refused (400 malformed, 401 unknown or expired). */
export type BearerOutcome =
  | { readonly kind: "absent" }
  | { readonly kind: "valid"; readonly token: IssuedToken }
  | {
      readonly kind: "refused";
      /** Why: a header that is not `Bearer <token>` (400), or a token never issued / past its lifetime (401). */
      readonly reason: "malformed" | "unknown" | "expired";
      readonly status: 400 | 401;
      readonly body: OAuthError;
      readonly headers: Readonly<Record<string, string>>;
    };

/** Checks the Authorization header (spec digest §4: 400 when malformed, 401 when unknown or expired). */
export function readBearer(header: string | undefined, context: ReferenceContext): BearerOutcome {
  if (header === undefined) return { kind: "absent" };
  const { faults } = context;
  const match =
    (faults.has("auth.bearer-case-sensitive") ? BEARER_CASE_SENSITIVE : BEARER).exec(header) ??
    (faults.has("auth.accepts-raw-token") ? RAW_TOKEN.exec(header) : null);
  if (!match) {
    return {
      kind: "refused",
      reason: "malformed",
      status: 400,
      body: oauthError("invalid_request", "the Authorization header is not 'Bearer <token>'"),
      headers: { "www-authenticate": 'Bearer error="invalid_request"' },
    };
  }
  const lookup = context.tokens.lookup(match[1]!, context.now());
  if (lookup.status === "valid") return { kind: "valid", token: lookup.token };
  const description =
    lookup.status === "expired" ? "the access token has expired" : "the access token is unknown";
  return {
    kind: "refused",
    reason: lookup.status,
    status: 401,
    body: oauthError("invalid_token", description),
    headers: { "www-authenticate": `Bearer error="invalid_token", error_description="${description}"` },
  };
}

/**
 * The caller's client id for an endpoint that wants a token: the id for a valid token, `null` for an anonymous call
 * when `anonymousAllowed`, `null` too for a refusal a planted fault `waives`; otherwise answers 400/401 itself and
 * returns undefined.
 */
export function requireCaller(
  req: IncomingMessage,
  res: ServerResponse,
  context: ReferenceContext,
  options: {
    readonly anonymousAllowed: boolean;
    readonly waives?: (reason: "malformed" | "unknown" | "expired") => boolean;
    /** Refuse with RFC 9457 problem details (iSHARE 3.0 registry endpoints) instead of an OAuth-style body. */
    readonly problem?: boolean;
  },
): string | null | undefined {
  const { faults } = context;
  // `registry.errors-as-oauth-json` (3.0): the 2.x error body; `registry.401-without-www-authenticate`: no challenge.
  const problem = (options.problem ?? false) && !faults.has("registry.errors-as-oauth-json");
  const challenge = (headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> =>
    options.problem && faults.has("registry.401-without-www-authenticate") ? {} : headers;
  const bearer = readBearer(req.headers.authorization, context);
  if (bearer.kind === "valid") return bearer.token.clientId;
  if (bearer.kind === "absent" && options.anonymousAllowed) return null;
  if (bearer.kind === "refused") {
    if (options.waives?.(bearer.reason)) return null;
    sendError(res, bearer.status, bearer.body, {
      headers: bearer.status === 401 ? challenge(bearer.headers) : bearer.headers,
      problem,
    });
  } else {
    // RFC 6750 §3.1: a request without credentials gets the bare challenge, no error code.
    sendError(res, 401, oauthError("invalid_token", "an access token is required"), {
      headers: challenge({ "www-authenticate": options.problem ? "Bearer" : 'Bearer error="invalid_token"' }),
      problem,
    });
  }
  return undefined;
}
