/**
 * Endpoint discovery from a target's capabilities (spec digest §3.1: "take the URL from configuration or from
 * /capabilities"; §4): endpoints targets.yaml does not name are taken from the advertised features, and a
 * configured endpoint that differs from the advertised one is reported. Only URLs on the target's own origin
 * are adopted, so a capabilities answer cannot send the harness (and its bearer token) elsewhere.
 */
import { featuresOf, normaliseFeatureName } from "../checks/capabilities.ts";
import type { HttpClient } from "../http/client.ts";
import { decodeJws } from "../jwt/index.ts";
import type { ResolvedTarget } from "../model/target.ts";
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
};

/** Endpoint key to advertised URL, from a capabilities answer's body text. */
export function advertisedEndpoints(bodyText: string): Record<string, string> {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return {};
  }
  const token = (body as { capabilities_token?: unknown } | null)?.capabilities_token;
  if (typeof token !== "string") return {};
  const decoded = decodeJws(token);
  if (!decoded.ok) return {};
  const info = decoded.payload["capabilities_info"];
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

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
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
): Promise<Discovered> {
  const where = `targets.${target.name}.endpoints`;
  let advertised: Record<string, string>;
  try {
    const headers: Record<string, string> = { accept: "application/json" };
    if (tokens) headers["authorization"] = `Bearer ${await tokens.get()}`;
    const url = endpointUrl(target, "capabilities");
    const response = await limiter.run(() => http.send({ method: "GET", url, headers }));
    if (response.status !== 200) {
      return {
        target,
        notices: [
          `endpoint discovery: GET ${url}${tokens ? " with a token" : ""} answered ${response.status}; using ${where} and the defaults`,
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
  const own = origin(target.baseUrl);
  const endpoints: Record<string, string> = { ...target.endpoints };
  const notices: string[] = [];
  for (const [key, url] of Object.entries(advertised)) {
    if (configured[key] !== undefined) {
      const mine = endpointUrl(target, key);
      if (!sameUrl(mine, url)) {
        notices.push(
          `${where}.${key} is ${mine}, but the target's capabilities advertise ${url}; using the configured one`,
        );
      }
      continue;
    }
    if (origin(url) !== own) {
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
