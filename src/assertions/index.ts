/** iSHARE client assertions, correct or with a vocabulary of deliberate defects. */
export { CertificateMint, defectIdentities, defectIdentityKey } from "./certificate-mint.ts";
export {
  ASSERTION_LIFETIME_S,
  type ClientAssertion,
  type ClientAssertionInput,
  createClientAssertion,
  DEFECT_SKEW_S,
} from "./client-assertion.ts";
export { base64url, encodeJsonSegment, SIGNING_ALGORITHMS, signCompactJws } from "./compact-jws.ts";
export {
  ASSERTION_DEFECT_NAMES,
  ASSERTION_DEFECTS,
  type AssertionDefect,
  BOGUS_X5U,
  CERTIFICATE_DEFECTS,
  type CertificateDefect,
  ISSUER_DEFECTS,
  isAssertionDefect,
  isCertificateDefect,
  otherPartyId,
  WRONG_AUDIENCE,
} from "./defects.ts";
