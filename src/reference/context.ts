/** What every endpoint of the reference target shares: its identity, version, faults, clock and state. */
import type { X509Certificate } from "@peculiar/x509";
import type { PartyIdentity } from "../model/identity.ts";
import type { IshareVersion } from "../model/target.ts";
import type { AccessTokenStore } from "./access-tokens.ts";
import type { CertificateCache } from "./certificate-cache.ts";
import type { PolicyStore } from "./delegation-policies.ts";
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
} as const;

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
  readonly tokens: AccessTokenStore;
  readonly replay: ReplayCache;
  /** Decoded x5c entries. */
  readonly certificates: CertificateCache;
  /** CA certificates the server holds locally (only the `token.completes-chain-from-store` fault uses them). */
  readonly certificateStore: readonly X509Certificate[];
  /** `http://host:port`, known once listening. */
  baseUrl: string;
}
