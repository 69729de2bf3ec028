/**
 * `POST /connect/token` with grant_type=authorization_code: the reference Identity Provider's H2M token
 * endpoint (iSHARE IdP token page). The client authenticates with an iSHARE client assertion (validated by
 * the reference's own client-assertion steps, with no M2M token fault applied: those belong to the M2M
 * grant); the code is single use, bound to client and redirect_uri; the answer carries an iSHARE id_token.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { validateClientAssertion } from "../client-assertion.ts";
import { FaultSet } from "../faults.ts";
import { oauthError, sendJson } from "../http-io.ts";
import { signResponseJwt } from "../response-jwt.ts";
import { JWT_BEARER_ASSERTION_TYPE } from "../token-request.ts";
import type { IdpEnvironment } from "./authorize.ts";
import type { Pseudonyms } from "./pseudonyms.ts";
import { H2M_TOKEN_LIFETIME_S } from "./store.ts";

/** The grant type this handler serves. */
export const AUTHORIZATION_CODE = "authorization_code";

/** True when a token request body asks for the authorization_code grant (the H2M flow). */
export function isAuthorizationCodeRequest(body: string): boolean {
  return new URLSearchParams(body).get("grant_type") === AUTHORIZATION_CODE;
}

const NO_M2M_FAULTS = new FaultSet();

/** Handles one H2M token request. */
export async function handleH2mToken(
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  env: IdpEnvironment,
  pseudonyms: Pseudonyms,
): Promise<void> {
  const { context, store } = env;
  const { faults } = context;
  const refuse = (error: string, description: string): void =>
    sendJson(res, 400, oauthError(error, description));
  if (req.method !== "POST") {
    refuse("invalid_request", "the token request must be a POST");
    return;
  }
  const form = new URLSearchParams(body);
  const clientId = form.get("client_id");
  if (!clientId) {
    refuse("invalid_request", "client_id is missing");
    return;
  }
  if (!faults.has("oidc.token-skips-client-assertion")) {
    if (form.get("client_assertion_type") !== JWT_BEARER_ASSERTION_TYPE) {
      refuse("invalid_client", `client_assertion_type is not ${JWT_BEARER_ASSERTION_TYPE}`);
      return;
    }
    const verdict = await validateClientAssertion(form.get("client_assertion") ?? "", clientId, {
      ...context,
      faults: NO_M2M_FAULTS,
    });
    if (!verdict.ok) {
      refuse("invalid_client", verdict.reason);
      return;
    }
  }
  const code = store.codes.get(form.get("code") ?? "");
  if (!code || code.expiresAt < context.now()) {
    refuse("invalid_grant", "unknown or expired code");
    return;
  }
  if (code.used && !faults.has("oidc.accepts-reused-code")) {
    // "MUST deny the request and SHOULD revoke all tokens previously issued based on that code".
    for (const token of code.tokens) {
      const issued = store.tokens.get(token);
      if (issued) issued.revoked = true;
    }
    refuse("invalid_grant", "the code was already used; its tokens are revoked");
    return;
  }
  if (code.clientId !== clientId && !faults.has("oidc.code-not-bound-to-client")) {
    refuse("invalid_grant", "the code was issued to another client");
    return;
  }
  if (form.get("redirect_uri") !== code.redirectUri && !faults.has("oidc.ignores-token-redirect-uri")) {
    refuse("invalid_grant", "redirect_uri differs from the authorization request's");
    return;
  }
  code.used = true;
  const sub = pseudonyms.of(code.username, clientId, faults);
  const accessToken = store.issueToken({
    clientId,
    sub,
    expiresAt: context.now() + H2M_TOKEN_LIFETIME_S * 1000,
    revoked: false,
  });
  code.tokens.add(accessToken);
  const idToken = await signResponseJwt(
    context,
    {
      sub,
      auth_time: code.authTime,
      ...(code.nonce !== undefined && !faults.has("oidc.id-token-without-nonce")
        ? { nonce: code.nonce }
        : {}),
      acr: code.acr,
      azp: clientId,
    },
    faults.has("oidc.id-token-wrong-aud") ? context.self.partyId : clientId,
  );
  sendJson(
    res,
    200,
    {
      id_token: idToken,
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: H2M_TOKEN_LIFETIME_S,
      ...(faults.has("oidc.issues-refresh-token") ? { refresh_token: `refresh-${accessToken}` } : {}),
    },
    { cacheable: faults.has("oidc.token-response-cacheable") },
  );
}
