/** Faults of the access-token endpoint: each breaks one rule of spec digest §2–3. */
import type { FaultSpec } from "../fault-spec.ts";

/** Faults of the token endpoint (suite token), keyed by name (`token.<what it does wrong>`). */
export const TOKEN_FAULTS = {
  "token.cacheable-response": {
    description: "Token responses carry neither Cache-Control: no-store nor Pragma: no-cache",
    rule: "§3.2, §10",
    caughtBy: ["TOKEN-001"],
  },
  "token.issues-refresh-token": {
    description: "Issues a refresh_token next to every access token",
    rule: "§3.2",
    caughtBy: ["TOKEN-001"],
  },
  "token.token-type-not-bearer": {
    description: 'Answers token_type "mac" instead of "Bearer"',
    rule: "§3.2",
    caughtBy: ["TOKEN-001"],
  },
  "token.rejects-rs512": {
    description: "Rejects client assertions signed with RS512 although the version allows it",
    rule: "§2.2, §12",
    caughtBy: ["TOKEN-002"],
    versions: ["2.1", "3.0"],
  },
  "token.accepts-get": {
    description: "Serves GET on the token endpoint, reading the parameters from the query string",
    rule: "§3.1",
    caughtBy: ["TOKEN-003"],
  },
  "token.accepts-json-body": {
    description: "Accepts the token request parameters as a JSON body",
    rule: "§3.1",
    caughtBy: ["TOKEN-004"],
  },
  "token.ignores-grant-type": {
    description: "Does not look at grant_type (missing or any value is accepted)",
    rule: "§3.1",
    caughtBy: ["TOKEN-005", "TOKEN-006"],
  },
  "token.ignores-scope": {
    description: "Does not look at scope (missing or without iSHARE is accepted)",
    rule: "§3.1",
    caughtBy: ["TOKEN-007", "TOKEN-008", "TOKEN-009"],
  },
  "token.scope-case-insensitive": {
    description: "Finds the iSHARE scope case-insensitively (accepts 'ishare')",
    rule: "§3.1",
    caughtBy: ["TOKEN-009"],
  },
  "token.client-id-optional": {
    description: "Uses the assertion's iss as client id when the client_id parameter is missing",
    rule: "§3.1",
    caughtBy: ["TOKEN-010"],
  },
  "token.accepts-client-id-mismatch": {
    description: "Does not compare the client_id parameter with the assertion's iss",
    rule: "§2.4",
    caughtBy: ["TOKEN-011"],
  },
  "token.ignores-assertion-type": {
    description: "Does not look at client_assertion_type",
    rule: "§3.1",
    caughtBy: ["TOKEN-012"],
  },
  "token.accepts-missing-assertion": {
    description: "Issues a token on client_id alone when client_assertion is missing",
    rule: "§3.1, §3.3",
    caughtBy: ["TOKEN-013"],
  },
  "token.accepts-unparsable-assertion": {
    description: "Issues a token on client_id alone when client_assertion is not a compact JWS",
    rule: "§3.3",
    caughtBy: ["TOKEN-014"],
  },
  "token.skips-signature-check": {
    description: "Does not verify the client assertion's signature",
    rule: "§2.6",
    caughtBy: ["TOKEN-015", "TOKEN-016"],
  },
  "token.accepts-alg-none": {
    description: 'Accepts unsigned client assertions (alg "none")',
    rule: "§2.2",
    caughtBy: ["TOKEN-017"],
  },
  "token.accepts-hs256": {
    description: "Accepts HS256 assertions, using the x5c[0] public key PEM as HMAC secret (key confusion)",
    rule: "§2.2",
    caughtBy: ["TOKEN-018"],
  },
  "token.accepts-any-rsa-alg": {
    description: "Accepts RS384 and RS512 on a version 2.0 target, where only RS256 is allowed",
    rule: "§2.2, §12",
    caughtBy: ["TOKEN-019"],
    versions: ["2.0"],
  },
  "token.allows-extra-header-members": {
    description: "Accepts header members other than alg, typ and x5c (kid, jku, x5t, x5t#S256, crit, ...)",
    rule: "§2.2",
    caughtBy: ["TOKEN-020", "TOKEN-046", "TOKEN-047", "TOKEN-048", "TOKEN-049"],
    strict: true,
  },
  "token.accepts-missing-x5c": {
    description: "Falls back to the party's registered certificate when x5c is missing or empty",
    rule: "§2.2",
    caughtBy: ["TOKEN-021", "TOKEN-022"],
  },
  "token.completes-chain-from-store": {
    description: "Completes an incomplete x5c with intermediates and root from its own store",
    rule: "§2.2",
    caughtBy: ["TOKEN-023"],
  },
  "token.accepts-any-chain-order": {
    description: "Sorts the x5c certificates itself instead of requiring signer first, root last",
    rule: "§2.2",
    caughtBy: ["TOKEN-024"],
  },
  "token.skips-trust-anchor-check": {
    description: "Accepts a chain ending at any self-signed root, not only a trusted-list CA",
    rule: "§3.3, §8",
    caughtBy: ["TOKEN-025"],
  },
  "token.ignores-certificate-validity": {
    description: "Accepts certificates outside their validity period",
    rule: "§2.6, §8",
    caughtBy: ["TOKEN-026", "TOKEN-027", "TOKEN-060"],
  },
  "token.accepts-small-keys": {
    description: "Accepts signer certificates with RSA keys below 2048 bits",
    rule: "§2.6, §8",
    caughtBy: ["TOKEN-028"],
  },
  "token.ignores-sub": {
    description: "Does not require the assertion's sub to equal its iss",
    rule: "§2.4",
    caughtBy: ["TOKEN-029"],
  },
  "token.ignores-aud": {
    description: "Does not look at the assertion's aud",
    rule: "§2.4",
    caughtBy: ["TOKEN-030", "TOKEN-031", "TOKEN-032"],
  },
  "token.accepts-aud-array": {
    description: "Accepts aud as an array that contains its own party id",
    rule: "§2.3, §2.4",
    caughtBy: ["TOKEN-031"],
  },
  "token.accepts-missing-iat": {
    description: "Accepts assertions without iat",
    rule: "§2.3",
    caughtBy: ["TOKEN-033"],
  },
  "token.accepts-future-iat": {
    description: "Accepts assertions issued in the future",
    rule: "§2.6",
    caughtBy: ["TOKEN-034"],
  },
  "token.accepts-missing-exp": {
    description: "Accepts assertions without exp",
    rule: "§2.3",
    caughtBy: ["TOKEN-035"],
  },
  "token.accepts-expired-assertion": {
    description: "Accepts assertions whose exp has passed",
    rule: "§2.6",
    caughtBy: ["TOKEN-036"],
  },
  "token.accepts-any-lifetime": {
    description: "Accepts any exp - iat instead of exactly 30 seconds",
    rule: "§2.3",
    caughtBy: ["TOKEN-037"],
  },
  "token.accepts-millisecond-timestamps": {
    description: "Reads iat/exp/nbf above 10^11 as milliseconds (divides by 1000) instead of rejecting them",
    rule: "§2.3, §10",
    caughtBy: ["TOKEN-038"],
  },
  "token.ignores-nbf": {
    description: "Accepts assertions whose nbf is in the future",
    rule: "§2.3",
    caughtBy: ["TOKEN-039"],
  },
  "token.accepts-missing-jti": {
    description: "Accepts assertions without jti",
    rule: "§2.3",
    caughtBy: ["TOKEN-040"],
  },
  "token.no-replay-protection": {
    description: "Accepts the same client assertion (jti) more than once",
    rule: "§2.5",
    caughtBy: ["TOKEN-041"],
  },
  "token.accepts-unregistered-party": {
    description: "Issues tokens to parties its registry does not know",
    rule: "§3.3",
    caughtBy: ["TOKEN-042"],
  },
  "token.ignores-adherence-status": {
    description: "Issues tokens to registered parties whose adherence is not Active",
    rule: "§3.3",
    caughtBy: ["TOKEN-043"],
  },
  "token.skips-certificate-binding": {
    description: "Does not compare the signing certificate with the party's registered certificates",
    rule: "§3.3, §8",
    caughtBy: ["TOKEN-044"],
    // A MUST from 2.1; in 2.0 binding by subject name is tolerated (a warning).
    versions: ["2.1", "3.0"],
  },
  "token.verifies-with-header-jwk": {
    description: "Verifies the signature with the key in a jwk header member instead of x5c[0]'s",
    rule: "§2.2, §2.6",
    caughtBy: ["TOKEN-045"],
  },
  "token.accepts-ps256": {
    description: "Accepts RSASSA-PSS (PS256) assertions",
    rule: "§2.2",
    caughtBy: ["TOKEN-050"],
  },
  "token.accepts-ec-keys": {
    description: "Accepts ES256 assertions signed with an EC key (certificate from the trusted CA)",
    rule: "§2.2, §8",
    caughtBy: ["TOKEN-051"],
  },
  "token.alg-none-case-insensitive": {
    description:
      'Blocks only alg "none" as spelt, yet reads "None" / "NONE" as none: unsigned assertions pass',
    rule: "§2.2",
    caughtBy: ["TOKEN-052", "TOKEN-053"],
  },
  "token.ignores-typ": {
    description: "Does not look at the header's typ",
    rule: "§2.2",
    caughtBy: ["TOKEN-054"],
  },
  "token.skips-last-chain-link": {
    description:
      "Its chain loop stops one link short: the next-to-last certificate is never verified against the last",
    rule: "§2.2, §8",
    caughtBy: ["TOKEN-055", "TOKEN-057"],
  },
  "token.links-chain-by-name": {
    description: "Links x5c certificates by issuer and subject name only, without verifying their signatures",
    rule: "§2.2, §8",
    caughtBy: ["TOKEN-056", "TOKEN-057"],
  },
  "token.accepts-ca-signer": {
    description: "Accepts a CA certificate (cA, keyCertSign) as the assertion's signer",
    rule: "§2.6, §8",
    caughtBy: ["TOKEN-058"],
  },
  "token.ignores-key-usage": {
    description: "Does not require digitalSignature or nonRepudiation in the signer's keyUsage",
    rule: "§2.6, §8",
    caughtBy: ["TOKEN-059"],
  },
  "token.checks-leaf-validity-only": {
    description: "Checks the validity period of the signer's certificate only, not of the CAs above it",
    rule: "§2.6, §8",
    caughtBy: ["TOKEN-060"],
  },
  "token.ignores-extra-certificates": {
    description: "Stops reading x5c at the first trusted CA; certificates after the root are ignored",
    rule: "§2.2",
    caughtBy: ["TOKEN-061"],
  },
} as const satisfies Record<string, FaultSpec>;
