/** Reading `Authorization: Bearer <token>` against the tokens the reference target issued (RFC 6750 §2.1). */
import type { IssuedToken } from "./access-tokens.ts";
import type { ReferenceContext } from "./context.ts";
import { type OAuthError, oauthError } from "./http-io.ts";

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** No header, a valid token, or why the request is refused (400 malformed, 401 unknown or expired). */
export type BearerOutcome =
  | { readonly kind: "absent" }
  | { readonly kind: "valid"; readonly token: IssuedToken }
  | {
      readonly kind: "refused";
      readonly status: 400 | 401;
      readonly body: OAuthError;
      readonly headers: Readonly<Record<string, string>>;
    };

/** Checks the Authorization header (spec digest §4: 400 when malformed, 401 when unknown or expired). */
export function readBearer(header: string | undefined, context: ReferenceContext): BearerOutcome {
  if (header === undefined) return { kind: "absent" };
  const match = BEARER.exec(header);
  if (!match) {
    return {
      kind: "refused",
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
    status: 401,
    body: oauthError("invalid_token", description),
    headers: { "www-authenticate": `Bearer error="invalid_token", error_description="${description}"` },
  };
}
