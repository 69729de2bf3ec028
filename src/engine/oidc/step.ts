/**
 * The engine's OIDC step machinery: fresh state and nonce per step, the request object (`{{requestObject}}`),
 * the login flow with the target's driver (form or browser), and the variables later steps read
 * (`{{oidc.*}}`, `{{steps.<id>.code}}`, `{{steps.<id>.claims.<member>.<claim>}}`).
 */
import { randomBytes } from "node:crypto";
import type { AssertionDefect, CertificateMint } from "../../assertions/index.ts";
import { lookup } from "../../checks/json-path.ts";
import { NotApplicableError } from "../../errors.ts";
import type { OutgoingRequest } from "../../http/client.ts";
import type { HttpResponse } from "../../http/response.ts";
import { decodeJws } from "../../jwt/index.ts";
import type { PartyIdentity } from "../../model/identity.ts";
import { LOA_URNS, type OidcSetup } from "../../model/oidc.ts";
import type { RecordedJwt } from "../../model/result.ts";
import type { RequestObjectSpec, SuiteStep } from "../../model/suite.ts";
import type { ResolvedTarget } from "../../model/target.ts";
import { renderString, type VariableLookup } from "../templates.ts";
import { launchBrowser } from "./browser.ts";
import { type FlowOutcome, runFormFlow } from "./flow.ts";
import { buildRequestObject } from "./request-object.ts";
import type { OidcSession } from "./session.ts";

/** What an OIDC step knows and leaves for later steps. */
export interface OidcStepState {
  readonly state: string;
  readonly nonce: string;
  readonly redirectUri: string;
  /** The `request` parameter sent (JWS or JWE). */
  requestObject?: string;
  /** The code that reached the return endpoint. */
  code?: string;
  outcome?: FlowOutcome;
}

/** The variables an OIDC step adds: `oidc.state`, `oidc.nonce`, `oidc.redirectUri`, `requestObject`. */
export function ownOidcVariable(name: string, own: OidcStepState | undefined): string | undefined {
  if (!own) return undefined;
  switch (name) {
    case "oidc.state":
      return own.state;
    case "oidc.nonce":
      return own.nonce;
    case "oidc.redirectUri":
      return own.redirectUri;
    case "requestObject":
      return own.requestObject;
  }
  return undefined;
}

/**
 * `steps.<id>.(code|state|nonce|redirectUri)` of an earlier OIDC step, and `steps.<id>.claims.<member>.<claim>`:
 * a claim of the JWT at a JSON member of that step's response (the id_token's sub).
 */
export function earlierOidcVariable(
  name: string,
  earlier: { readonly oidc?: OidcStepState; readonly json?: unknown } | undefined,
): string | undefined {
  const match = /^steps\.[a-zA-Z0-9_]+\.(code|state|nonce|redirectUri|claims\.([a-zA-Z0-9_]+)\.(.+))$/.exec(
    name,
  );
  if (!match || !earlier) return undefined;
  const what = match[1]!;
  if (what === "code") return earlier.oidc?.code;
  if (what === "state") return earlier.oidc?.state;
  if (what === "nonce") return earlier.oidc?.nonce;
  if (what === "redirectUri") return earlier.oidc?.redirectUri;
  const jwt = lookup(earlier.json, match[2]!);
  if (!jwt.found || typeof jwt.value !== "string") return undefined;
  const decoded = decodeJws(jwt.value);
  if (!decoded.ok) return undefined;
  const claim = lookup(decoded.payload, match[3]!);
  if (!claim.found) return undefined;
  return typeof claim.value === "string" ? claim.value : JSON.stringify(claim.value);
}

/** The target's OIDC set-up, or the reason the case cannot run. */
export function oidcOf(target: ResolvedTarget): OidcSetup {
  if (!target.oidc) {
    throw new NotApplicableError(
      `needs the Identity Provider set-up: add targets.${target.name}.oidc (login.username, login.password; endpoints) to ${target.source}`,
    );
  }
  return target.oidc;
}

const random = (): string => randomBytes(18).toString("base64url");

/** Whether a step needs the OIDC machinery. */
export function isOidcStep(step: SuiteStep, used: ReadonlySet<string>): boolean {
  return (
    step.flow !== undefined ||
    step.requestObject !== undefined ||
    used.has("requestObject") ||
    [...used].some((name) => name.startsWith("oidc."))
  );
}

/** Prepares an OIDC step: state, nonce, the return endpoint and, when used, the request object. */
export async function prepareOidcStep(input: {
  readonly step: SuiteStep;
  readonly used: ReadonlySet<string>;
  readonly target: ResolvedTarget;
  readonly identity: PartyIdentity;
  readonly identityFor: (name: string) => PartyIdentity;
  readonly session: OidcSession;
  readonly mint: CertificateMint;
  readonly nowMs: number;
  readonly lookup: VariableLookup;
  readonly earlier: (id: string) => OidcStepState | undefined;
  readonly jwts: RecordedJwt[];
}): Promise<OidcStepState> {
  const { target, identity } = input;
  const oidc = oidcOf(target);
  const spec: RequestObjectSpec = input.step.requestObject ?? {};
  const returnEndpoint = await input.session.returnEndpoint();
  if (spec.reuse !== undefined) {
    const earlier = input.earlier(spec.reuse);
    if (!earlier?.requestObject) throw new Error(`step "${spec.reuse}" sent no request object to reuse`);
    return { ...earlier, requestObject: earlier.requestObject };
  }
  const own: OidcStepState = { state: random(), nonce: random(), redirectUri: returnEndpoint.redirectUri };
  if (!input.used.has("requestObject")) return own;
  const claims: Record<string, unknown> = {
    iss: identity.partyId,
    response_type: "code",
    client_id: identity.partyId,
    scope: "openid iSHARE",
    redirect_uri: own.redirectUri,
    state: own.state,
    nonce: own.nonce,
    acr_values: LOA_URNS[0],
    language: "en",
  };
  const scoped: VariableLookup = (name) => ownOidcVariable(name, own) ?? input.lookup(name);
  for (const [claim, value] of Object.entries(spec.claims ?? {})) {
    if (value === null) delete claims[claim];
    else claims[claim] = renderString(value, scoped);
  }
  let encryptTo: OidcSetup["encryptionCertificate"];
  if (target.version === "3.0" && spec.encrypt !== false) {
    encryptTo = oidc.encryptionCertificate;
    if (!encryptTo) {
      throw new NotApplicableError(
        `needs the IdP's encryption certificate for iSHARE 3.0 request objects (JWE): set targets.${target.name}.oidc.encryptionCertificate in ${target.source}`,
      );
    }
  }
  const built = await buildRequestObject({
    signer: spec.by ? input.identityFor(spec.by) : identity,
    audience: target.partyId,
    nowMs: input.nowMs,
    claims,
    // Defect names are checked against the vocabulary when the suite loads.
    ...(spec.defects ? { defects: spec.defects as readonly AssertionDefect[] } : {}),
    mint: input.mint,
    ...(encryptTo ? { encryptTo } : {}),
  });
  input.jwts.push({
    where: built.encrypted ? "request object (sent encrypted as a JWE)" : "request object",
    header: built.header,
    payload: built.payload,
  });
  own.requestObject = built.value;
  return own;
}

/** Runs the login flow of `outgoing` (the authorization request) with the target's driver. */
export async function runLoginFlow(input: {
  readonly outgoing: OutgoingRequest;
  readonly target: ResolvedTarget;
  readonly session: OidcSession;
  readonly send: (request: OutgoingRequest) => Promise<HttpResponse>;
  readonly addSecret: (secret: string) => void;
  readonly signal?: AbortSignal;
}): Promise<FlowOutcome> {
  const oidc = oidcOf(input.target);
  input.addSecret(oidc.login.password);
  const returnEndpoint = await input.session.returnEndpoint();
  const loginUrl = absolute(input.target, oidc.endpoints.login);
  if (oidc.login.driver === "browser") {
    const browser = await input.session.browser(launchBrowser);
    const form = Object.fromEntries(new URLSearchParams(input.outgoing.body ?? ""));
    return browser.runFlow(input.outgoing.url, form, {
      returnEndpoint,
      login: oidc.login,
      pageTimeoutMs: input.target.http.headersTimeoutMs + input.target.http.bodyTimeoutMs,
      addSecret: input.addSecret,
      ...(input.signal ? { signal: input.signal } : {}),
    });
  }
  return runFormFlow(input.outgoing, {
    send: input.send,
    returnEndpoint,
    login: oidc.login,
    loginUrl,
    addSecret: input.addSecret,
  });
}

function absolute(target: ResolvedTarget, path: string): string {
  return /^https?:\/\//.test(path) ? path : `${target.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`;
}
