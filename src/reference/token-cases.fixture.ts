/**
 * Test-only: the requests of the token suite's cases (suites/token.yaml), sent straight to a reference
 * target with undici, and the suite's `fail` checks reduced to one verdict per case. Lets the reference
 * tests prove every fault flips exactly its cases without going through the engine.
 */
import { request } from "undici";
import { type AssertionDefect, type CertificateMint, createClientAssertion } from "../assertions/index.ts";
import type { IshareVersion } from "../model/target.ts";
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

const refused = (statuses: readonly number[]) => (reply: Reply) => statuses.includes(reply.status);
const is400 = refused([400]);
const is400or401 = refused([400, 401]);

/** A case: its request(s) and whether the reply passes the case's `fail` checks. */
export interface TokenCase {
  readonly versions?: readonly IshareVersion[];
  run(env: CaseEnvironment): Promise<boolean>;
}

function single(call: TokenCall, passes: (reply: Reply) => boolean): TokenCase {
  return { run: async (env) => passes(await callToken(env, call)) };
}

function defect(name: AssertionDefect): TokenCase {
  return single({ defects: [name] }, is400or401);
}

/** The token suite's cases, by id, as suites/token.yaml defines them. */
export const TOKEN_CASES: Readonly<Record<string, TokenCase>> = {
  "TOKEN-001": single({}, isTokenResponse),
  "TOKEN-002": { versions: ["2.1", "3.0"], ...single({ alg: "RS512" }, refused([200])) },
  "TOKEN-003": single({ method: "GET", bodyAs: "query" }, refused([400, 404, 405])),
  "TOKEN-004": single({ bodyAs: "json" }, is400),
  "TOKEN-005": single({ form: { grant_type: null } }, is400),
  "TOKEN-006": single({ form: { grant_type: "password" } }, is400),
  "TOKEN-007": single({ form: { scope: null } }, is400),
  "TOKEN-008": single({ form: { scope: "openid" } }, is400),
  "TOKEN-009": single({ form: { scope: "ishare" } }, is400),
  "TOKEN-010": single({ form: { client_id: null } }, is400or401),
  "TOKEN-011": single({ form: { client_id: "EU.EORI.NL000000003" } }, is400or401),
  "TOKEN-012": single(
    { form: { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" } },
    is400or401,
  ),
  "TOKEN-013": single({ form: { client_assertion: null } }, is400or401),
  "TOKEN-014": single({ form: { client_assertion: "not-a-jwt" } }, is400or401),
  "TOKEN-015": defect("tampered-payload"),
  "TOKEN-016": defect("wrong-key"),
  "TOKEN-017": defect("alg-none"),
  "TOKEN-018": defect("alg-hs256"),
  "TOKEN-019": { versions: ["2.0"], ...defect("alg-rs384") },
  "TOKEN-020": defect("extra-header-kid"),
  "TOKEN-021": defect("missing-x5c"),
  "TOKEN-022": defect("empty-x5c"),
  "TOKEN-023": defect("leaf-only-chain"),
  "TOKEN-024": defect("reversed-chain"),
  "TOKEN-025": defect("untrusted-root"),
  "TOKEN-026": defect("expired-certificate"),
  "TOKEN-027": defect("not-yet-valid-certificate"),
  "TOKEN-028": defect("small-key"),
  "TOKEN-029": defect("iss-not-sub"),
  "TOKEN-030": defect("wrong-aud"),
  "TOKEN-031": defect("aud-array"),
  "TOKEN-032": defect("missing-aud"),
  "TOKEN-033": defect("missing-iat"),
  "TOKEN-034": defect("iat-in-future"),
  "TOKEN-035": defect("missing-exp"),
  "TOKEN-036": defect("expired"),
  "TOKEN-037": defect("lifetime-60s"),
  "TOKEN-038": defect("millisecond-timestamps"),
  "TOKEN-039": defect("not-yet-valid"),
  "TOKEN-040": defect("missing-jti"),
  "TOKEN-041": {
    async run(env) {
      const { jwt } = await createClientAssertion({
        identity: env.pki.parties.client,
        audience: env.audience,
        nowMs: env.now(),
        mint: env.mint,
      });
      const first = await callToken(env, { assertion: jwt });
      return first.status === 200 && is400or401(await callToken(env, { assertion: jwt }));
    },
  },
  "TOKEN-042": single({ as: "unregistered" }, is400or401),
  "TOKEN-043": single({ as: "notActive" }, is400or401),
  "TOKEN-044": defect("unregistered-certificate"),
};
