/** The check library: every check by name. Suites refer to checks by these names. */
import { capabilitiesNoRestricted, capabilitiesPublicFeature } from "./capabilities.ts";
import type { CheckDefinition } from "./check.ts";
import {
  delegationDenied,
  delegationEvidenceEffectIs,
  delegationEvidenceLicensesPresent,
  delegationEvidenceMatchesMask,
  delegationEvidenceTimeValid,
  delegationEvidenceValid,
} from "./delegation.ts";
import { valuesInEnumeration, valuesMatchFormat } from "./enumerations.ts";
import {
  contentTypeIs,
  headerAbsent,
  headerHasToken,
  notCacheable,
  statusIs,
  wwwAuthenticateBearer,
} from "./http.ts";
import { jsonFieldAbsent, jsonFieldEquals, jsonFieldPresent, jsonObjectBody, jsonSchema } from "./json.ts";
import {
  jwtAlgAllowed,
  jwtClaimAbsent,
  jwtClaimEquals,
  jwtClaimPresent,
  jwtHeaderMembers,
  jwtLifetimeIs30s,
  jwtSignedByX5cLeaf,
  jwtTimeValid,
  jwtTypIsJwt,
  x5cChainsToTrustedRoot,
} from "./jwt.ts";
import { jwtPayloadSchema } from "./jwt-payload.ts";
import { oauthErrorIs } from "./oauth.ts";
import {
  jwtClaimDiffers,
  jwtClaimEqualsWhenPresent,
  jwtClaimOneOf,
  oidcNeverReachedReturn,
  oidcReachedReturn,
  oidcStoppedBeforeLogin,
  pseudonymNotDerived,
  userinfoEvidenceEffectIs,
} from "./oidc.ts";
import {
  partiesInfoConsistent,
  partiesMatch,
  partyRecordsValid,
  trustedListCoversSigner,
  trustedListValid,
} from "./registry.ts";
import { jwtSignerRegistered } from "./registry-trust.ts";

const ALL = [
  statusIs,
  headerHasToken,
  headerAbsent,
  wwwAuthenticateBearer,
  contentTypeIs,
  notCacheable,
  jsonObjectBody,
  jsonSchema,
  jsonFieldEquals,
  jsonFieldAbsent,
  jsonFieldPresent,
  oauthErrorIs,
  jwtHeaderMembers,
  jwtTypIsJwt,
  jwtAlgAllowed,
  jwtSignedByX5cLeaf,
  x5cChainsToTrustedRoot,
  jwtLifetimeIs30s,
  jwtTimeValid,
  jwtClaimEquals,
  jwtClaimPresent,
  jwtClaimAbsent,
  jwtPayloadSchema,
  jwtSignerRegistered,
  capabilitiesPublicFeature,
  capabilitiesNoRestricted,
  valuesInEnumeration,
  valuesMatchFormat,
  partiesInfoConsistent,
  partiesMatch,
  partyRecordsValid,
  trustedListValid,
  trustedListCoversSigner,
  delegationEvidenceValid,
  delegationEvidenceMatchesMask,
  delegationEvidenceEffectIs,
  delegationEvidenceTimeValid,
  delegationEvidenceLicensesPresent,
  delegationDenied,
  oidcReachedReturn,
  oidcNeverReachedReturn,
  oidcStoppedBeforeLogin,
  jwtClaimOneOf,
  jwtClaimDiffers,
  jwtClaimEqualsWhenPresent,
  pseudonymNotDerived,
  userinfoEvidenceEffectIs,
];

// Parameters differ per check; the registry holds them as `unknown`, validated against each check's schema
// when a suite is loaded, so the cast below is safe at run time.
export const CHECKS: ReadonlyMap<string, CheckDefinition<unknown>> = new Map(
  ALL.map((check) => [check.name, check as unknown as CheckDefinition<unknown>]),
);

export type { CheckContext, CheckDefinition, CheckVerdict, JsonParse, JwtParse } from "./check.ts";
export { EVIDENCE_CLAIM } from "./delegation.ts";
export { allowedAlgorithms, CLOCK_SKEW_SECONDS } from "./jwt.ts";
