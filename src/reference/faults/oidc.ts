/** Faults of the reference Identity Provider (suite oidc): each breaks one rule of the iSHARE H2M flow (§7). */
import type { FaultSpec } from "../fault-spec.ts";

/** Every invalid authorization request whose request object names a redirect_uri (the open-redirect fault). */
const REDIRECTABLE = [
  ...["OIDC-010", "OIDC-011", "OIDC-012", "OIDC-013", "OIDC-018", "OIDC-019", "OIDC-020"],
  ...["OIDC-023", "OIDC-024", "OIDC-025", "OIDC-026"],
];

/** The positive cases on the 2.x references (each login checks that its state comes back). */
const POSITIVE_FLOWS = ["OIDC-001", "OIDC-002", "OIDC-003", "OIDC-004", "OIDC-005", "OIDC-006", "OIDC-007"];

/** The positive cases on the 3.0 reference: userinfo is a GET without a mask there (OIDC-008). */
const POSITIVE_FLOWS_3_0 = ["OIDC-001", "OIDC-002", "OIDC-003", "OIDC-004", "OIDC-005", "OIDC-008"];

/** The negatives gated on those positives (controls OIDC-001, -002, -006): not judged when a control fails. */
const GATED_NEGATIVES = [
  "OIDC-010",
  "OIDC-011",
  "OIDC-012",
  "OIDC-013",
  "OIDC-014",
  "OIDC-015",
  "OIDC-016",
  "OIDC-017",
  "OIDC-018",
  "OIDC-019",
  "OIDC-020",
  "OIDC-021",
  "OIDC-023",
  "OIDC-024",
  "OIDC-025",
  "OIDC-026",
  "OIDC-030",
  "OIDC-031",
  "OIDC-032",
  "OIDC-033",
  "OIDC-034",
  "OIDC-040",
  "OIDC-041",
  "OIDC-042",
  "OIDC-043",
];

/** Faults of /connect/authorize, /login, the H2M token and /connect/userinfo, keyed `oidc.<what it does wrong>`. */
export const OIDC_FAULTS = {
  "oidc.redirects-invalid-request": {
    description:
      "Redirects an invalid authorization request to the request object's redirect_uri (open redirector)",
    rule: "§7",
    caughtBy: REDIRECTABLE,
  },
  "oidc.ignores-request-signature": {
    description: "Accepts a request object whose signature does not verify",
    rule: "§7, §2.6",
    caughtBy: ["OIDC-010"],
  },
  "oidc.accepts-untrusted-request-chain": {
    description: "Accepts a request object whose x5c chain does not lead to a trusted root",
    rule: "§7, §2.6",
    caughtBy: ["OIDC-011"],
  },
  "oidc.accepts-impostor-request-signer": {
    description: "Accepts a request object signed with another party's certificate in the client's name",
    rule: "§7, §2.6",
    caughtBy: ["OIDC-012"],
  },
  "oidc.ignores-outer-mismatch": {
    description: "Does not compare the form's response_type, client_id and scope with the request object's",
    rule: "§7",
    caughtBy: ["OIDC-013", "OIDC-023", "OIDC-024"],
  },
  "oidc.accepts-scope-without-ishare": {
    description: "Accepts a scope without openid or iSHARE (or with ishare in lower case)",
    rule: "§7",
    caughtBy: ["OIDC-014", "OIDC-015", "OIDC-016"],
  },
  "oidc.accepts-missing-request": {
    description: "Accepts an authorization request without a request object, trusting the form's parameters",
    rule: "§7",
    caughtBy: ["OIDC-017"],
  },
  "oidc.accepts-expired-request": {
    description: "Accepts an expired request object",
    rule: "§7, §2.3",
    caughtBy: ["OIDC-018"],
  },
  "oidc.accepts-wrong-request-aud": {
    description: "Accepts a request object whose aud is another party",
    rule: "§7, §2.3",
    caughtBy: ["OIDC-019"],
  },
  "oidc.accepts-replayed-request": {
    description: "Accepts the same request object (same jti) twice",
    rule: "§7, §2.5",
    caughtBy: ["OIDC-020"],
  },
  "oidc.accepts-request-without-jti": {
    description: "Accepts a request object without jti (and so cannot tell a replay)",
    rule: "§7, §2.3",
    caughtBy: ["OIDC-025"],
  },
  "oidc.accepts-long-lived-request": {
    description: "Accepts a request object whose exp is not iat + 30",
    rule: "§7, §2.3",
    caughtBy: ["OIDC-026"],
  },
  "oidc.uses-outer-redirect-uri": {
    description: "Takes redirect_uri from the unsigned form when the request object carries none",
    rule: "§7",
    caughtBy: ["OIDC-021"],
  },
  "oidc.accepts-unencrypted-request": {
    description: "Accepts a request object that is signed but not encrypted (iSHARE 3.0 asks for a JWE)",
    rule: "§7, §12",
    caughtBy: ["OIDC-022"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "oidc.drops-state": {
    description: "Redirects to the redirect_uri with the code but without the state",
    rule: "§7",
    // Every login flow checks that its state comes back; the negatives lose their controls.
    caughtBy: POSITIVE_FLOWS,
    caughtByVersion: { "3.0": POSITIVE_FLOWS_3_0 },
    breaks: GATED_NEGATIVES,
  },
  "oidc.id-token-without-nonce": {
    description: "Leaves the nonce of the request object out of the id_token",
    rule: "§7",
    caughtBy: ["OIDC-002"],
  },
  "oidc.id-token-wrong-aud": {
    description: "Sets the id_token's aud to its own id instead of the client's",
    rule: "§7",
    caughtBy: ["OIDC-002"],
  },
  "oidc.issues-refresh-token": {
    description: "Adds a refresh_token to the H2M token response",
    rule: "§7",
    caughtBy: ["OIDC-002"],
  },
  "oidc.token-response-cacheable": {
    description: "Answers the H2M token request without Cache-Control: no-store and Pragma: no-cache",
    rule: "§7, §10",
    caughtBy: ["OIDC-002"],
  },
  "oidc.unstable-pseudonym": {
    description: "Gives the same user a new sub at every login at the same Service Provider",
    rule: "§7",
    caughtBy: ["OIDC-003"],
  },
  "oidc.same-pseudonym-for-every-sp": {
    description: "Gives the same user the same sub at every Service Provider",
    rule: "§7",
    caughtBy: ["OIDC-004"],
  },
  "oidc.predictable-pseudonym": {
    description: "Makes the sub from the user name and the Service Provider's id (predictable)",
    rule: "§7",
    caughtBy: ["OIDC-005"],
  },
  "oidc.userinfo-permits-everything": {
    description: "Puts Permit into the userinfo evidence whatever the mask asks",
    rule: "§7, §5.3",
    caughtBy: ["OIDC-007"],
    // 3.0 userinfo is a GET without a mask: the evidence is the user's own Permit either way.
    versions: ["2.0", "2.1"],
  },
  "oidc.accepts-reused-code": {
    description: "Issues tokens again for an authorization code that was already redeemed",
    rule: "§7",
    caughtBy: ["OIDC-030"],
  },
  "oidc.ignores-token-redirect-uri": {
    description:
      "Redeems a code although the token request's redirect_uri differs from the authorization request's",
    rule: "§7",
    caughtBy: ["OIDC-031"],
  },
  "oidc.code-not-bound-to-client": {
    description: "Redeems a code issued to another client",
    rule: "§7",
    caughtBy: ["OIDC-032"],
  },
  "oidc.token-skips-client-assertion": {
    description: "Redeems a code without validating the client assertion",
    rule: "§7, §3.3",
    caughtBy: ["OIDC-033", "OIDC-034"],
  },
  "oidc.userinfo-without-token": {
    description: "Answers userinfo without a valid H2M access token",
    rule: "§7; OpenAPI 3.0 /connect/userinfo 401",
    caughtBy: ["OIDC-040", "OIDC-041"],
    // 3.0 userinfo is a GET (OIDC-008 its control).
    caughtByVersion: { "3.0": ["OIDC-042", "OIDC-043"] },
  },
} as const satisfies Record<string, FaultSpec>;
