/** What the OIDC (human-to-machine) cases need from an Identity Provider target (targets.yaml `oidc:`). */
import type { X509Certificate } from "@peculiar/x509";
import type { DelegationMask } from "../delegation/types.ts";

/** How the harness logs the test user in at the IdP's login page. */
export const LOGIN_DRIVERS = ["form", "browser"] as const;
export type LoginDriver = (typeof LOGIN_DRIVERS)[number];

/** The IdP endpoints the flow uses (paths under the target's baseUrl, or absolute URLs). */
export interface OidcEndpoints {
  readonly authorize: string;
  readonly login: string;
  readonly token: string;
  readonly userinfo: string;
}

/** The test user and how to log it in. */
export interface OidcLogin {
  readonly driver: LoginDriver;
  /** Names of the login form's fields. */
  readonly fields: { readonly username: string; readonly password: string };
  readonly username: string;
  /** A secret: never written to output (registered with the run's secret registry). */
  readonly password: string;
}

/** Everything an IdentityProvider target adds (ResolvedTarget.oidc). */
export interface OidcSetup {
  readonly endpoints: OidcEndpoints;
  readonly login: OidcLogin;
  /** Delegation masks the userinfo endpoint must answer with Permit and Deny (accessSubject is replaced by the sub). */
  readonly userinfoMasks?: { readonly permit: DelegationMask; readonly deny: DelegationMask };
  /**
   * The IdP's certificate whose key encrypts the request object (iSHARE 3.0: the request JWT "MUST be encrypted
   * using JWE"); absent: 3.0 cases that need it are skipped with the reason.
   */
  readonly encryptionCertificate?: X509Certificate;
}

/** Default endpoint paths (iSHARE IdP pages and the 3.0 OpenAPI document: /connect/authorize, /login, ...). */
export const DEFAULT_OIDC_ENDPOINTS: OidcEndpoints = {
  authorize: "/connect/authorize",
  login: "/login",
  token: "/connect/token",
  userinfo: "/connect/userinfo",
};

/** The eIDAS levels of assurance an IdP may name as acr (iSHARE IdP authorize page, acr_values). */
export const LOA_URNS = [
  "urn:http://eidas.europa.eu/LoA/NotNotified/low",
  "urn:http://eidas.europa.eu/LoA/NotNotified/substantial",
  "urn:http://eidas.europa.eu/LoA/NotNotified/high",
] as const;

/** Path of the harness's return endpoint (the redirect_uri), as the iSHARE Service Provider pages name it. */
export const RETURN_PATH = "/openid_connect1.0/return";

/** One request of a login flow and what came back (the flow follows the IdP's redirects hop by hop). */
export interface FlowHop {
  readonly method: string;
  readonly url: string;
  readonly status?: number;
  readonly location?: string;
  readonly note?: string;
}

/** What a login flow did, as the checks and the report see it. */
export interface LoginFlowRecord {
  readonly hops: readonly FlowHop[];
  /** The IdP showed its login page. */
  readonly loginPage: boolean;
  /** The test user's credentials were submitted. */
  readonly loggedIn: boolean;
  /** The request that reached the harness's return endpoint, if any. */
  readonly returned?: {
    readonly url: string;
    readonly path: string;
    readonly params: Readonly<Record<string, string>>;
  };
  /** Why the flow ended, in words. */
  readonly end: string;
}

/** What the OIDC checks of a step see: the step's own state and nonce and, after a login, the flow. */
export interface OidcCheckView {
  readonly state: string;
  readonly nonce: string;
  readonly redirectUri: string;
  readonly flow?: LoginFlowRecord;
}
