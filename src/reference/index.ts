/** The built-in reference target: a conformant iSHARE server on loopback, with plantable faults. */
export { ACCESS_TOKEN_LIFETIME_S } from "./access-tokens.ts";
export { ASSERTION_STEPS } from "./assertion-steps.ts";
export { CLOCK_SKEW_S, ENDPOINT_PATHS } from "./context.ts";
export { DELEGATION_ENDPOINT_STEPS, EVIDENCE_LIFETIME_S } from "./delegation-endpoint.ts";
export {
  PolicyStore,
  referenceMasks,
  referencePolicies,
  type StoredPolicy,
  TEST_POLICY,
} from "./delegation-policies.ts";
export { CHAOS_TARGET, type ChaosName } from "./faults/chaos.ts";
export {
  affectedCases,
  caughtByAt,
  describeFaults,
  FAULTS,
  type FaultName,
  FaultSet,
  type FaultSpec,
  faultNames,
  isFaultName,
} from "./faults.ts";
export { MAX_REQUEST_BODY_BYTES } from "./http-io.ts";
export {
  type AdherenceStatus,
  ReferenceRegistry,
  type RegisteredCertificate,
  type RegisteredParty,
  registryFromPki,
  type TrustedListEntry,
} from "./registry-data.ts";
export { type ReferenceOptions, type ReferenceTarget, startReferenceTarget } from "./server.ts";
export {
  type ServerCertificateKind,
  type ServerTls,
  serverCertificate,
  tlsChaosCertificate,
} from "./tls-certificates.ts";
export { TOKEN_ENDPOINT_STEPS } from "./token-endpoint.ts";
