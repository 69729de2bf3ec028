/** Faults of the capabilities endpoint: each breaks one rule of spec digest §2 (its JWT) or §4. */
import type { FaultSpec } from "../fault-spec.ts";

/** Faults of GET /capabilities (suite capabilities), keyed by name (`capabilities.<what it does wrong>`). */
export const CAPABILITIES_FAULTS = {
  "capabilities.restricted-shown-anonymously": {
    description: "Lists the restricted features to a caller without an access token",
    rule: "§4",
    caughtBy: ["CAP-004"],
  },
  "capabilities.token-lifetime-3600": {
    description: "Signs capabilities_token with exp = iat + 3600 instead of iat + 30",
    rule: "§2.3",
    caughtBy: ["CAP-001", "CAP-005"],
  },
  "capabilities.kid-in-header": {
    description: "Adds a kid member to the capabilities_token header",
    rule: "§2.2",
    caughtBy: ["CAP-001", "CAP-005"],
  },
  "capabilities.reversed-x5c": {
    description: "Sends the capabilities_token x5c chain root first instead of signer first",
    rule: "§2.2",
    caughtBy: ["CAP-001", "CAP-005"],
  },
  "capabilities.signed-by-other-key": {
    description: "Signs capabilities_token with a key that does not belong to x5c[0]",
    rule: "§2.6",
    caughtBy: ["CAP-001", "CAP-005"],
  },
  "capabilities.no-jti": {
    description: "Leaves jti out of capabilities_token",
    rule: "§2.3",
    caughtBy: ["CAP-001", "CAP-005"],
  },
  "capabilities.aud-when-anonymous": {
    description: "Puts an aud claim into capabilities_token although no access token was given",
    rule: "§4",
    caughtBy: ["CAP-001"],
  },
  "capabilities.aud-not-requester": {
    description: "Sets aud to its own party id instead of the requester's when an access token is given",
    rule: "§2.3, §4",
    caughtBy: ["CAP-005"],
  },
  "capabilities.party-id-not-iss": {
    description: "capabilities_info.party_id names another party than the token's iss",
    rule: "§4",
    caughtBy: ["CAP-002"],
    // 3.0 capabilitiesInfo has no party_id.
    versions: ["2.0", "2.1"],
  },
  "capabilities.no-access-token-feature": {
    description: "Leaves the access-token feature out of the public features",
    rule: "§4",
    caughtBy: ["CAP-003"],
  },
  "capabilities.accepts-malformed-authorization": {
    description: "Treats an Authorization header that is not 'Bearer <token>' as absent and answers 200",
    rule: "§4",
    caughtBy: ["CAP-006", "CAP-007", "CAP-010"],
  },
  "capabilities.accepts-unknown-token": {
    description: "Answers 200 (as to an anonymous caller) when the bearer token is unknown",
    rule: "§4",
    caughtBy: ["CAP-008"],
  },
  "capabilities.accepts-expired-token": {
    description: "Answers 200 (as to an anonymous caller) when the bearer token has expired",
    rule: "§4",
    caughtBy: ["CAP-009"],
  },
  "capabilities.unknown-role-name": {
    description:
      "Names its role iSHARESatellite (not the documented iShareSatellite) in capabilities_info.ishare_roles",
    rule: "OpenAPI 2.0 SchemeRole.role",
    caughtBy: ["CAP-012"],
    // CAP-012 only warns (the roles are a description, not a schema enum); 3.0 capabilitiesInfo has no roles.
    strict: true,
    versions: ["2.0", "2.1"],
  },
  "capabilities.unknown-version-value": {
    description:
      "Names its supported version v2.0 (not a version number) in capabilities_info.supported_versions",
    rule: "OpenAPI 2.0 SupportedVersion.version",
    caughtBy: ["CAP-013"],
    // CAP-013 only warns (no closed set or format is documented); 3.0 capabilitiesInfo has no supported_versions.
    strict: true,
    versions: ["2.0", "2.1"],
  },
} as const satisfies Record<string, FaultSpec>;
