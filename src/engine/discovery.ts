/**
 * Endpoint discovery from a target's capabilities (spec digest §3.1: "take the URL from configuration or from
 * /capabilities"; §4): endpoints targets.yaml does not name are taken from the advertised features, and a
 * configured endpoint that differs from the advertised one is reported. Nothing is adopted from a
 * capabilities_token whose signature (by x5c[0]) and chain (to the target's trust anchors) do not verify, and
 * only URLs on the target's own origin (WHATWG URL parsing, origins compared as parsed) are adopted, so a
 * capabilities answer cannot send the harness (and its bearer token) elsewhere.
 */
import type { X509Certificate } from "@peculiar/x509";
import { featuresOf, normaliseFeatureName } from "../checks/capabilities.ts";
import { allowedAlgorithms } from "../checks/jwt.ts";
import type { HttpClient } from "../http/client.ts";
import { decodeJws, verifyJwsWithCertificate, x5cCertificates } from "../jwt/index.ts";
import type { ResolvedTarget } from "../model/target.ts";
import { verifyChain } from "../pki/index.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { Limiter } from "./limiter.ts";
import { endpointUrl } from "./request-builder.ts";

/** Feature names (normalised: lower case, letters and digits only) to the endpoint keys of targets.yaml. */
export const FEATURE_ENDPOINTS: Readonly<Record<string, string>> = {
  accesstoken: "token",
  token: "token",
  capabilities: "capabilities",
  parties: "parties",
  trustedlist: "trustedList",
  versions: "versions",
  dataspaces: "dataspaces",
  delegation: "delegation",
  delegationpolicy: "delegationPolicy",
  // 3.0 services are named by the operationId of the iSHARE OpenAPI 3.0 document (service.identifier).
  getcapabilitiestoken: "capabilities",
  requestoauthtoken: "token",
  getpartieslisttoken: "parties",
  gettrustedlist: "trustedList",
  getdataspaceslist: "dataspaces",
  getframeworkslisttoken: "frameworks",
  frameworks: "frameworks",
  requestdelegationevidence: "delegation",
  createdelegationpolicy: "delegationPolicy",
};

/** The response member of the capabilities JWT and its payload member (2.x snake_case, 3.0 camelCase). */
const CAPABILITIES_NAMES = [
  { token: "capabilities_token", info: "capabilities_info" },
  { token: "capabilitiesToken", info: "capabilitiesInfo" },
] as const;

/** The capabilities_token of a capabilities answer's body text, if it has one. */
export function capabilitiesTokenOf(bodyText: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (body === null || typeof body !== "object") return undefined;
  for (const names of CAPABILITIES_NAMES) {
    const token = (body as Record<string, unknown>)[names.token];
    if (typeof token === "string") return token;
  }
  return undefined;
}

/**
 * Whether the capabilities_token may be believed: signed by x5c[0] with an algorithm of the target's version,
 * and x5c chaining to one of the target's trust anchors. Resolves with the reason when it may not.
 */
export async function verifyCapabilitiesToken(
  token: string,
  target: ResolvedTarget,
  nowMs: number,
  chainTrust?: ChainTrust,
): Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }> {
  const decoded = decodeJws(token);
  if (!decoded.ok) return decoded;
  const certs = x5cCertificates(decoded.header);
  if (!certs.ok) return { ok: false, message: certs.message };
  const leaf = certs.certs[0];
  if (!leaf) return { ok: false, message: "its x5c is empty" };
  const signature = await verifyJwsWithCertificate(token, leaf, allowedAlgorithms(target.version));
  if (!signature.ok) return signature;
  const at = new Date(nowMs);
  if (target.anchors.length === 0 && chainTrust === undefined) {
    return { ok: false, message: "no trust anchor is configured to check its x5c chain against" };
  }
  const chain =
    target.anchors.length > 0
      ? await verifyChain(certs.certs, target.anchors, at)
      : await chainTrust!(certs.certs, at);
  return chain.ok ? { ok: true } : { ok: false, message: chain.message };
}

/** Judges an x5c chain by other means than the target's anchors (the participant registry's trusted list). */
export type ChainTrust = (
  chain: readonly X509Certificate[],
  at: Date,
) => Promise<{ readonly ok: true } | { readonly ok: false; readonly message: string }>;

/** Endpoint key to advertised URL, from a capabilities answer's body text (the token is not verified here). */
export function advertisedEndpoints(bodyText: string): Record<string, string> {
  const token = capabilitiesTokenOf(bodyText);
  if (token === undefined) return {};
  const decoded = decodeJws(token);
  if (!decoded.ok) return {};
  const info = decoded.payload["capabilities_info"] ?? decoded.payload["capabilitiesInfo"];
  const found: Record<string, string> = {};
  for (const feature of [...featuresOf(info, "public"), ...featuresOf(info, "restricted")]) {
    const name = feature["feature"];
    const url = feature["url"];
    if (typeof name !== "string" || typeof url !== "string") continue;
    const key = FEATURE_ENDPOINTS[normaliseFeatureName(name)];
    if (key !== undefined && found[key] === undefined) found[key] = url;
  }
  return found;
}

const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** `url` parsed as the WHATWG URL parser (and so undici) reads it: an absolute http(s) URL, or undefined. */
function parsedUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The result of one discovery pass. */
export interface Discovered {
  readonly target: ResolvedTarget;
  readonly notices: readonly string[];
}

/**
 * Fetches the capabilities (anonymously, or with the access token from `tokens`) and merges the advertised
 * endpoints into `target`: keys in `configured` stay as configured (a difference is a notice), other keys take
 * the advertised URL. Never throws: trouble is a notice.
 */
export async function discoverEndpoints(
  target: ResolvedTarget,
  configured: Readonly<Record<string, string>>,
  http: HttpClient,
  limiter: Limiter,
  tokens?: AccessTokens,
  nowMs: () => number = Date.now,
  chainTrust?: ChainTrust,
  /** Bounds discovery (the case timeout, the run deadline, an interrupt): a silent target cannot hold the run. */
  signal?: AbortSignal,
): Promise<Discovered> {
  const where = `targets.${target.name}.endpoints`;
  let advertised: Record<string, string>;
  try {
    const headers: Record<string, string> = { accept: "application/json" };
    if (tokens) headers["authorization"] = `Bearer ${await tokens.get(target.client, signal)}`;
    const url = endpointUrl(target, "capabilities");
    const response = await limiter.run(() => http.send({ method: "GET", url, headers }, { signal }));
    if (response.status !== 200) {
      return {
        target,
        notices: [
          `endpoint discovery: GET ${url}${tokens ? " with a token" : ""} answered ${response.status}; using ${where} and the defaults`,
        ],
      };
    }
    const token = capabilitiesTokenOf(response.bodyText);
    const verdict =
      token === undefined ? undefined : await verifyCapabilitiesToken(token, target, nowMs(), chainTrust);
    if (verdict && !verdict.ok) {
      return {
        target,
        notices: [
          `endpoint discovery: the capabilities_token of GET ${url}${tokens ? " with a token" : ""} does not verify (${verdict.message}); nothing adopted from it, using ${where} and the defaults`,
        ],
      };
    }
    advertised = advertisedEndpoints(response.bodyText);
  } catch (error) {
    return {
      target,
      notices: [`endpoint discovery failed (${(error as Error).message}); using ${where} and the defaults`],
    };
  }
  const own = parsedUrl(target.baseUrl)?.origin;
  const endpoints: Record<string, string> = { ...target.endpoints };
  const notices: string[] = [];
  for (const [key, advertisedUrl] of Object.entries(advertised)) {
    const parsed = parsedUrl(advertisedUrl);
    // What is compared is what would be sent: the parsed, normalised URL.
    const url = parsed?.href ?? advertisedUrl;
    if (configured[key] !== undefined) {
      const mine = endpointUrl(target, key);
      if (!sameUrl(mine, url)) {
        notices.push(
          `${where}.${key} is ${mine}, but the target's capabilities advertise ${url}; using the configured one`,
        );
      }
      continue;
    }
    if (parsed === undefined || own === undefined || parsed.origin !== own) {
      notices.push(
        `the capabilities advertise ${key} at ${url}, outside ${target.baseUrl}; not used (set ${where}.${key} to use it)`,
      );
      continue;
    }
    const current = target.endpoints[key];
    if (current === undefined || !sameUrl(endpointUrl(target, key), url)) endpoints[key] = url;
  }
  return { target: { ...target, endpoints }, notices };
}
