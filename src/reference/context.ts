/** What every endpoint of the reference target shares: its identity, version, faults, clock and state. */
import type { PartyIdentity } from "../model/identity.ts";
import type { IshareVersion } from "../model/target.ts";
import type { CaMaterial } from "../pki/index.ts";
import type { AccessTokenStore } from "./access-tokens.ts";
import type { CertificateCache } from "./certificate-cache.ts";
import type { Certificate } from "./certificate-judge.ts";
import type { AuthorisationRule, PolicyStore } from "./delegation-policies.ts";
import type { FaultSet } from "./faults.ts";
import type { ReferenceRegistry } from "./registry-data.ts";
import type { ReplayCache } from "./replay-cache.ts";

/** Clock skew tolerated on iat, exp and nbf (seconds). */
export const CLOCK_SKEW_S = 5;

/** Endpoint key to path (spec digest §3.1, §4, §5.1, §6). `/parties/{id}` is served under `parties`. */
export const ENDPOINT_PATHS = {
  token: "/connect/token",
  capabilities: "/capabilities",
  delegation: "/delegation",
  parties: "/parties",
  trustedList: "/trusted_list",
  versions: "/versions",
  dataspaces: "/dataspaces",
  partyCreation: "/ep_creation",
  /** Served from iSHARE 2.1 (an optional Authorisation Registry endpoint). */
  delegationPolicy: "/delegationPolicy",
  /** iSHARE 3.0's path of the trusted list (OpenAPI 3.0 `/[v3.0]/trustedList`). */
  trustedList30: "/trustedList",
  /** iSHARE 3.0's list of frameworks and their versions, in place of 2.x `/versions` (OpenAPI 3.0 `/[v3.0]/frameworks`). */
  frameworks: "/frameworks",
} as const;

/** The path of the trusted list in `version` (2.x `/trusted_list`, 3.0 `/trustedList`). */
export function trustedListPath(version: IshareVersion): string {
  return version === "3.0" ? ENDPOINT_PATHS.trustedList30 : ENDPOINT_PATHS.trustedList;
}

/** Shared state of one running reference target. */
export interface ReferenceContext {
  /** The target's own party: id, signing key, x5c chain. */
  readonly self: PartyIdentity;
  readonly version: IshareVersion;
  readonly faults: FaultSet;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly registry: ReferenceRegistry;
  /** The Authorisation Registry's policies (spec digest §5). */
  readonly policies: PolicyStore;
  /** Entitled Parties' authorisation rules for `/delegationPolicy` (iSHARE 2.1+). */
  readonly authorisationRules: readonly AuthorisationRule[];
  /** Policies created through `/delegationPolicy`, kept apart from {@link policies}. */
  readonly createdPolicies: Array<{ readonly requester: string; readonly request: unknown }>;
  readonly tokens: AccessTokenStore;
  readonly replay: ReplayCache;
  /** Decoded x5c entries. */
  readonly certificates: CertificateCache;
  /** CA certificates the server holds locally (only the `token.completes-chain-from-store` fault uses them). */
  readonly certificateStore: readonly Certificate[];
  /** `http://host:port`, known once listening. */
  baseUrl: string;
  /** What chaos faults need (present when one is planted). */
  readonly chaos?: ChaosContext;
}

/** The test CA (to issue hostile certificates) and the canary that counts requests it must never get. */
export interface ChaosContext {
  readonly issuing: CaMaterial;
  /** Requests that reached the canary (redirect targets, jku / x5u URLs). */
  canaryHits: number;
}

/** Path of the canary (served only when a chaos fault is planted) and of its visit counter. */
export const CANARY_PATHS = { canary: "/chaos/canary", hits: "/chaos/canary-hits" } as const;

/** The canary URL on another host name than `baseUrl` (127.0.0.1 ↔ localhost), as a cross-host target. */
export function otherHostCanaryUrl(baseUrl: string): string {
  const url = new URL(CANARY_PATHS.canary, baseUrl);
  url.hostname = url.hostname === "localhost" ? "127.0.0.1" : "localhost";
  return url.toString();
}
