/** A target after configuration is loaded and validated: everything a run needs, typed. */
import type { KeyObject } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import type { IssuerMaterial, PartyIdentity } from "./identity.ts";

/** iSHARE versions whose rules the harness knows (spec digest §12). */
export const ISHARE_VERSIONS = ["2.0", "2.1", "3.0"] as const;
export type IshareVersion = (typeof ISHARE_VERSIONS)[number];

/** iSHARE roles as written in capabilities (v2.0 names) and targets.yaml. */
export const ROLES = [
  "ServiceProvider",
  "ServiceConsumer",
  "EntitledParty",
  "AuthorisationRegistry",
  "IdentityProvider",
  "IdentityBroker",
  "iShareSatellite",
  "ParticipantRegistry",
] as const;
export type Role = (typeof ROLES)[number];

export interface HttpOptions {
  /** Connect timeout (ms). */
  readonly connectTimeoutMs: number;
  /** Time allowed until response headers arrive (ms). */
  readonly headersTimeoutMs: number;
  /** Time allowed between body chunks (ms). */
  readonly bodyTimeoutMs: number;
  /** Response bodies larger than this are cut off and reported (bytes). */
  readonly maxBodyBytes: number;
  /** Extra CA certificates (PEM) for TLS verification. */
  readonly extraCaPem: readonly string[];
  /** Skip TLS verification (loudly reported). */
  readonly insecure: boolean;
  /** Retries of an idempotent request (GET, HEAD, OPTIONS, PUT, DELETE) after a connection error (default 0). */
  readonly retries?: number;
  /** Most requests per second sent to this target (absent or 0: no limit). */
  readonly requestsPerSecond?: number;
  /** Client certificate for mutual TLS (separate from the iSHARE signing key). */
  readonly clientTls?: ClientTls;
}

/** A TLS client certificate and its key (mutual TLS); the key never leaves the process. */
export interface ClientTls {
  /** PEM certificate chain, leaf first. */
  readonly certificatePem: string;
  readonly key: KeyObject;
  /** Where it was configured, for messages: `targets.my-ar.http.tls`. */
  readonly source: string;
}

export interface ResolvedTarget {
  readonly name: string;
  readonly partyId: string;
  readonly version: IshareVersion;
  /** Base URL without trailing slash. */
  readonly baseUrl: string;
  readonly roles: readonly Role[];
  /** Endpoint key (token, capabilities, delegation, parties, ...) to a path or absolute URL. */
  readonly endpoints: Readonly<Record<string, string>>;
  /** The identity the harness presents as client. */
  readonly client: PartyIdentity;
  /**
   * Further identities cases may act as: `unregistered` (valid certificate, unknown to the
   * registry), `notActive` (registered, adherence not Active), `serviceProvider`, ...
   */
  readonly identities: Readonly<Record<string, PartyIdentity>>;
  /** A CA the target trusts, to mint certificate variants; absent for most real targets. */
  readonly issuer?: IssuerMaterial;
  /**
   * Certificate-defect identities to use instead of minting (keyed by defect name); the built-in reference
   * target registers these for the client so that each certificate fault is observable on its own.
   */
  readonly presetVariants?: Readonly<Partial<Record<string, PartyIdentity>>>;
  /** Roots accepted for every JWT the target returns. */
  readonly anchors: readonly X509Certificate[];
  readonly http: HttpOptions;
  /** Cases running at once against this target. */
  readonly concurrency: number;
  /** Where the configuration came from (for messages). */
  readonly source: string;
}
