/**
 * Faults of the participant-registry endpoints (/parties, /parties/{id}, /trusted_list, /versions,
 * /dataspaces, 2.x /ep_creation): each breaks one rule of spec digest §2 (their JWTs) or §6.
 */
import type { FaultSpec } from "../fault-spec.ts";

/** Faults of the registry endpoints (suite parties), keyed by name (`<endpoint>.<what it does wrong>`). */
export const REGISTRY_FAULTS = {
  "parties.no-token-required": {
    description: "Answers /parties without an access token",
    rule: "§6.2",
    caughtBy: ["PARTY-001"],
  },
  "parties.accepts-expired-token": {
    description: "Answers /parties to a bearer token that has expired, as if it were still valid",
    rule: "§6.2",
    caughtBy: ["PARTY-015"],
  },
  "parties.no-parameter-required": {
    description: "Lists every party when /parties is called without any query parameter",
    rule: "§6.2",
    caughtBy: ["PARTY-002"],
    // 3.0 makes every /parties filter optional: PARTY-002 is a 2.x case.
    versions: ["2.0", "2.1"],
  },
  "parties.wrong-count": {
    description: "parties_info.count is one more than the number of parties found",
    rule: "§6.2",
    caughtBy: ["PARTY-003", "PARTY-005", "PARTY-006"],
  },
  "parties.ignores-id-filter": {
    description: "Ignores the party id filter (eori / id) and lists every party",
    rule: "§6.2",
    caughtBy: ["PARTY-005", "PARTY-006"],
  },
  "parties.ignores-page": {
    description: "Ignores the page parameter: every page is the first",
    rule: "§6.2",
    caughtBy: ["PARTY-007"],
  },
  "parties.reversed-x5c": {
    description: "Sends the parties_token x5c chain root first instead of signer first",
    rule: "§2.2",
    caughtBy: ["PARTY-003"],
  },
  "parties.x5t-base64url": {
    description:
      "Publishes certificates[].x5t#s256 as base64url (the JWS header form) instead of SHA-256 hex",
    rule: "§6.2, §8",
    caughtBy: ["PARTY-004", "PARTY-008"],
  },
  "parties.adherence-dates-not-iso": {
    description: "Writes adherence start_date / end_date as DD-MM-YYYY instead of ISO 8601 UTC",
    rule: "§6.2, §10",
    caughtBy: ["PARTY-004", "PARTY-008"],
  },
  "parties.unknown-role-name": {
    description: "Spells every party's roles[].role in lower case (serviceconsumer, not ServiceConsumer)",
    rule: "OpenAPI 2.0 Role_definition.role",
    caughtBy: ["PARTY-038"],
    // PARTY-038 only warns (the roles are a description, not a schema enum); 3.0 parties have frameworkRole claims.
    strict: true,
    versions: ["2.0", "2.1"],
  },
  "parties.unknown-party-200": {
    description: "Answers /parties/{id} for an unknown id with 200 and an empty party_info instead of 404",
    rule: "§6.3",
    caughtBy: ["PARTY-009"],
    // 3.0 documents no 404 for /parties/{id}: PARTY-009 only warns there.
    versions: ["2.0", "2.1"],
  },
  "parties.party-token-lifetime-3600": {
    description: "Signs party_token with exp = iat + 3600 instead of iat + 30",
    rule: "§2.3, §6.1",
    // PARTY-026 (2.x /ep_creation) and PARTY-037 (3.0 alias lookup) judge /parties/{id} answers too.
    caughtBy: ["PARTY-008", "PARTY-026"],
    caughtByVersion: { "3.0": ["PARTY-008", "PARTY-037"] },
  },
  "trusted-list.no-token-required": {
    description: "Answers /trusted_list without an access token",
    rule: "§6.4",
    caughtBy: ["PARTY-010"],
  },
  "trusted-list.fingerprint-with-colons": {
    description: "Writes certificate fingerprints as colon-separated hex pairs",
    rule: "§6.4",
    caughtBy: ["PARTY-011"],
  },
  "trusted-list.fingerprint-of-public-key": {
    description:
      "Publishes the SHA-256 of each CA's public key instead of the SHA-256 of its DER certificate",
    rule: "§6.4, §8",
    caughtBy: ["PARTY-011"],
  },
  "trusted-list.status-not-enumerated": {
    description:
      'Writes status "active" instead of one of granted, withdrawn, supervisionceased, undersupervision',
    rule: "§6.4",
    caughtBy: ["PARTY-011"],
  },
  "trusted-list.signed-by-other-key": {
    description: "Signs trusted_list_token with a key that does not belong to x5c[0]",
    rule: "§2.6",
    caughtBy: ["PARTY-011"],
  },
  "versions.requires-token": {
    description: "Answers /versions without an access token with 401",
    rule: "§6.5",
    caughtBy: ["PARTY-012"],
    // a 2.x case (3.0 has /frameworks; its /parties filters are optional)
    versions: ["2.0", "2.1"],
  },
  "versions.aud-when-anonymous": {
    description: "Puts an aud claim into versions_token although no access token was given",
    rule: "§6.5",
    caughtBy: ["PARTY-012"],
    // a 2.x case (3.0 has /frameworks; its /parties filters are optional)
    versions: ["2.0", "2.1"],
  },
  "dataspaces.no-token-required": {
    description: "Answers /dataspaces without an access token",
    rule: "§6.6",
    caughtBy: ["PARTY-014"],
  },
  "party-creation.no-token-required": {
    description: "Creates a party from /ep_creation without an access token",
    rule: "2.x OpenAPI /ep_creation security BearerAuth",
    caughtBy: ["PARTY-027"],
    versions: ["2.0", "2.1"],
  },
  "party-creation.any-party-may-create": {
    description: "Lets any party with an access token create parties, not only the registry itself",
    rule: "2.2 / 3.0 portal: the registry is expected to allow creation only for selected parties (a SHOULD)",
    caughtBy: ["PARTY-028"],
    versions: ["2.0", "2.1"],
    strict: true,
  },
  "party-creation.skips-signature-check": {
    description: "Accepts an ep_creation_token whose signature does not verify with its x5c[0] key",
    rule: "§2.6",
    caughtBy: ["PARTY-029"],
    versions: ["2.0", "2.1"],
  },
  "party-creation.accepts-expired-token": {
    description: "Accepts an ep_creation_token whose exp has passed",
    rule: "§2.3",
    caughtBy: ["PARTY-030"],
    versions: ["2.0", "2.1"],
  },
  "party-creation.ignores-aud": {
    description: "Accepts an ep_creation_token whose aud is another party",
    rule: "§2.3",
    caughtBy: ["PARTY-031"],
    versions: ["2.0", "2.1"],
  },
  "party-creation.ignores-sub": {
    description: "Accepts an ep_creation_token whose sub differs from its iss",
    rule: "§2.3",
    caughtBy: ["PARTY-032"],
    versions: ["2.0", "2.1"],
  },
  "party-creation.no-replay-protection": {
    description: "Accepts the same ep_creation_token (same jti) a second time",
    rule: "§2.3",
    caughtBy: ["PARTY-033"],
    versions: ["2.0", "2.1"],
  },
  "registry.errors-as-oauth-json": {
    description:
      "3.0: answers /parties, /trustedList and the other registry errors (and /capabilities) with the 2.x application/json OAuth error body instead of application/problem+json",
    rule: "OpenAPI 3.0 components.responses badRequest, bearerUnauthorized (problemDetails)",
    caughtBy: ["PARTY-001", "PARTY-010", "PARTY-015", "PARTY-034"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "registry.401-without-www-authenticate": {
    description: "3.0: answers 401 on the registry endpoints without a WWW-Authenticate challenge",
    rule: "OpenAPI 3.0 components.responses bearerUnauthorized (WWW-Authenticate, RFC 6750)",
    caughtBy: ["PARTY-001", "PARTY-010", "PARTY-015"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "parties.count-is-total": {
    description:
      "3.0: writes partiesInfo.count as the total found (the 2.x meaning) instead of the items in this response",
    rule: "OpenAPI 3.0 components.schemas paginationInfo (count, totalCount)",
    caughtBy: ["PARTY-007"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "parties.page-size-unbounded": {
    description: "3.0: takes a /parties pageSize above 100 as 100 instead of refusing it with 400",
    rule: "OpenAPI 3.0 /parties pageSize maximum 100; components.responses badRequest",
    caughtBy: ["PARTY-034"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "parties.no-alias-lookup": {
    description: "3.0: finds a party at /parties/{id} by its id only, not by the ids of its alsoKnownAs",
    rule: "OpenAPI 3.0 /parties/{id} parameter id (id or alsoKnownAs)",
    caughtBy: ["PARTY-037"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "frameworks.no-token-required": {
    description: "3.0: answers /frameworks without an access token",
    rule: "OpenAPI 3.0 /frameworks security BearerAuth, 401",
    caughtBy: ["PARTY-036"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
  "frameworks.no-pagination-info": {
    description: "3.0: sends frameworksInfo with data only, without the paginationInfo members",
    rule: "OpenAPI 3.0 components.schemas frameworksInfo (paginationInfo)",
    caughtBy: ["PARTY-035"],
    versions: ["3.0"],
    target: "reference-3.0",
  },
} as const satisfies Record<string, FaultSpec>;
