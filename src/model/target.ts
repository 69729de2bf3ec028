/** A target after configuration is loaded and validated: everything a run needs, typed. */
import type { KeyObject } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import type { PreviousStepsPlacement } from "../delegation/names.ts";
import type { DelegationMask } from "../delegation/types.ts";
import type { IssuerMaterial, PartyIdentity } from "./identity.ts";
import type { OidcSetup } from "./oidc.ts";

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
  /** Longest wait for endpoint discovery before the first case (ms; default 30 s, or the case timeout when shorter). */
  readonly discoveryTimeoutMs?: number;
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

/** A participant registry whose trusted list and party records decide trust in a target's JWTs (spec digest §6). */
export interface RegistryTrustConfig {
  /** Base URL without trailing slash. */
  readonly baseUrl: string;
  /** The registry's own party id: the audience of the harness's client assertion there, the iss of its JWTs. */
  readonly partyId: string;
  /** iSHARE version the registry follows (names of query parameters and members); default the target's. */
  readonly version: IshareVersion;
  /** `token`, `parties` and `trustedList`: paths under baseUrl or absolute URLs. */
  readonly endpoints: Readonly<Record<"token" | "parties" | "trustedList", string>>;
}

/** The masks the delegation cases send, by name (spec digest §5.5: the operator supplies a Permit and a Deny mask). */
export const MASK_NAMES = ["permit", "deny"] as const;
export type MaskName = (typeof MASK_NAMES)[number];

/**
 * How a target says "no" to the Deny mask: 200 with Deny evidence, 404 (the reference AR's answer when no
 * policy exists for the pair), or either (spec digest §5.1).
 */
export const DENY_ANSWERS = ["deny", "not-found", "either"] as const;
export type DenyAnswer = (typeof DENY_ANSWERS)[number];

/**
 * The policy creation requests the `/delegationPolicy` cases sign (iSHARE 2.1+): one the Entitled Party's
 * authorisation rules allow the client to have created, one they do not (the target must refuse it with 403).
 */
export const POLICY_REQUEST_NAMES = ["accepted", "refused"] as const;
export type PolicyRequestName = (typeof POLICY_REQUEST_NAMES)[number];

/** A `delegationPolicyRequest` (policyIssuer, target.accessSubject, policySets, ...), sent as given. */
export type DelegationPolicyRequest = Readonly<Record<string, unknown>>;

/** What the delegation cases need from an Authorisation Registry or Entitled Party. */
export interface DelegationSetup {
  /** Loaded and validated masks; each one's accessSubject is the client's party id. */
  readonly masks: Readonly<Record<MaskName, DelegationMask>>;
  readonly denyAnswer: DenyAnswer;
  /**
   * Where the requests carry previous steps (targets.yaml `delegation.previousStepsPlacement`); absent: where
   * the target's version documents them (root in 2.0 and 3.0, inside delegationRequest in 2.1).
   */
  readonly previousStepsPlacement?: PreviousStepsPlacement;
  /** Policy creation requests for `/delegationPolicy`; absent: those cases skip with the reason. */
  readonly policyRequests?: Readonly<Record<PolicyRequestName, DelegationPolicyRequest>>;
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
   * registry), `notActive` (registered, adherence not Active), `serviceProvider`, ..., and ready-made
   * certificate-defect identities of the client (`expiredCertificate`, `smallKey`, ...) used instead of minting.
   */
  readonly identities: Readonly<Record<string, PartyIdentity>>;
  /** A CA the target trusts, to mint certificate variants; absent for most real targets. */
  readonly issuer?: IssuerMaterial;
  /**
   * Set (with the reason) when the target is known to accept certificates minted from {@link issuer} (the
   * built-in reference, by construction); otherwise the run asks once, with a minted valid certificate.
   */
  readonly issuerTrusted?: string;
  /** Delegation masks and expectations (AuthorisationRegistry, EntitledParty); absent: delegation cases skip. */
  readonly delegation?: DelegationSetup;
  /** The Identity Provider set-up (targets.yaml `oidc:`); absent: the OIDC cases skip with the reason. */
  readonly oidc?: OidcSetup;
  /** An access token the target issued to the client that has expired, for the "expired token → 401" cases. */
  readonly expiredToken?: string;
  /**
   * Roots accepted for every JWT the target returns. With {@link trustRegistry} the registry's trusted list
   * decides instead, and these (if any) pin the registry's own JWTs.
   */
  readonly anchors: readonly X509Certificate[];
  /** Trust from a participant registry (targets.yaml `trust.registry`). */
  readonly trustRegistry?: RegistryTrustConfig;
  readonly http: HttpOptions;
  /** Cases running at once against this target. */
  readonly concurrency: number;
  /** Where the configuration came from (for messages). */
  readonly source: string;
}
