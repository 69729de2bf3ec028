/** Test PKI and certificate handling: keys, certificates, PEM, fingerprints, chain checks, minting. */
export { type CreateCertificateOptions, createCertificate } from "./certificate.ts";
export {
  type ChainOptions,
  type ChainProblem,
  type ChainVerdict,
  isoSeconds,
  MAX_CHAIN_LENGTH,
  verifyChain,
} from "./chain.ts";
export { sha256Fingerprint, sha256Thumbprint } from "./fingerprint.ts";
export { leafKeyProblems, MIN_RSA_BITS } from "./key-problems.ts";
export {
  certificatePublicKey,
  generateRsaKeyPair,
  keyMatchesCertificate,
  type RsaKeyPair,
  spkiDer,
} from "./keys.ts";
export { type MintKind, mintCertificate, UNTRUSTED_ROOT_SUBJECT, untrustedIdentity } from "./mint.ts";
export {
  commonNameOf,
  EXTRA_NAME_OIDS,
  issuerOf,
  organizationIdentifierOf,
  partyIdFromCertificate,
  partySubject,
  subjectOf,
} from "./names.ts";
export {
  certificateFromBase64Der,
  type KeyTypes,
  parseCertificatesPem,
  parsePrivateKeyPem,
  privateKeyToPem,
  readCertificateFile,
  readPrivateKeyFile,
  toBase64Der,
  toPem,
} from "./pem.ts";
export {
  type CaMaterial,
  DEFAULT_TEST_PARTIES,
  type GenerateTestPkiOptions,
  generateTestPki,
  ISSUING_CA_SUBJECT,
  issuerMaterial,
  REGISTERED_VARIANTS,
  type RegisteredVariant,
  ROOT_CA_SUBJECT,
  TEST_PARTY_ROLES,
  type TestParty,
  type TestPartyRole,
  type TestPki,
} from "./test-pki.ts";
export { readTestPki, TEST_PKI_FILES, writeTestPki } from "./test-pki-files.ts";
export {
  isGranted,
  normaliseFingerprint,
  trustedListEntryFor,
  verifyChainOnTrustedList,
} from "./trusted-list.ts";
export { x509 } from "./x509.ts";
