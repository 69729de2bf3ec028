/**
 * Test-only: token requests (correct, or with one change) and plain calls sent straight to a reference target
 * with undici, for the reference target's own endpoint tests. The suites' fault matrix runs through the engine
 * instead (src/proof).
 */
import { request } from "undici";
import { type AssertionDefect, type CertificateMint, createClientAssertion } from "../assertions/index.ts";
import type { TestPartyRole, TestPki } from "../pki/index.ts";
import { JWT_BEARER_ASSERTION_TYPE } from "./token-request.ts";

/** What the case requests need. */
export interface CaseEnvironment {
  readonly baseUrl: string;
  readonly audience: string;
  readonly pki: TestPki;
  readonly mint: CertificateMint;
  readonly now: () => number;
}

/** A response, reduced to what the checks look at. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: Record<string, unknown> | undefined;
}

/** One token request: the suite's valid request with one mutation. */
export interface TokenCall {
  readonly method?: "GET" | "POST";
  readonly bodyAs?: "form" | "json" | "query";
  /** Form overrides; null removes the parameter. */
  readonly form?: Readonly<Record<string, string | null>>;
  readonly defects?: readonly AssertionDefect[];
  readonly alg?: "RS256" | "RS384" | "RS512";
  /** Party to act as (default client). */
  readonly as?: TestPartyRole;
  /** A ready-made client_assertion (used as is). */
  readonly assertion?: string;
}

/** Sends one token request to the reference target. */
export async function callToken(env: CaseEnvironment, call: TokenCall = {}): Promise<Reply> {
  const identity = env.pki.parties[call.as ?? "client"];
  const assertion =
    call.assertion ??
    (
      await createClientAssertion({
        identity,
        audience: env.audience,
        nowMs: env.now(),
        mint: env.mint,
        ...(call.defects ? { defects: call.defects } : {}),
        ...(call.alg ? { alg: call.alg } : {}),
      })
    ).jwt;
  const form: Record<string, string> = {
    grant_type: "client_credentials",
    scope: "iSHARE",
    client_id: identity.partyId,
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: assertion,
  };
  for (const [name, value] of Object.entries(call.form ?? {})) {
    if (value === null) delete form[name];
    else form[name] = value;
  }
  let url = `${env.baseUrl}/connect/token`;
  const headers: Record<string, string> = { accept: "application/json" };
  let body: string | undefined;
  if (call.bodyAs === "query") url += `?${new URLSearchParams(form)}`;
  else if (call.bodyAs === "json") {
    body = JSON.stringify(form);
    headers["content-type"] = "application/json";
  } else {
    body = new URLSearchParams(form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  }
  return send(url, call.method ?? "POST", headers, body);
}

/** Sends a request and reads the reply (JSON body parsed when it is JSON). */
export async function send(
  url: string,
  method: string,
  headers: Readonly<Record<string, string>> = {},
  body?: string,
): Promise<Reply> {
  const response = await request(url, {
    method: method as "GET",
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.body.text();
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: flat, json };
}

/** True when the reply meets TOKEN-001's `fail` checks (the token response contract, spec digest §3.2). */
export function isTokenResponse(reply: Reply): boolean {
  const json = reply.json;
  return (
    reply.status === 200 &&
    (reply.headers["content-type"] ?? "").split(";")[0]!.trim() === "application/json" &&
    json !== undefined &&
    typeof json["access_token"] === "string" &&
    (json["access_token"] as string).length > 0 &&
    typeof json["token_type"] === "string" &&
    (json["token_type"] as string).toLowerCase() === "bearer" &&
    Number.isInteger(json["expires_in"]) &&
    !("refresh_token" in json) &&
    (reply.headers["cache-control"] ?? "").split(",").some((token) => token.trim() === "no-store") &&
    (reply.headers["pragma"] ?? "").split(",").some((token) => token.trim() === "no-cache")
  );
}
