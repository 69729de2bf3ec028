/**
 * The vocabulary of deliberate client-assertion defects (spec digest §2.2–2.6). Each defect changes one
 * thing relative to a correct assertion; a negative case is a correct request with one defect planted.
 */

/** Defect name → what it changes. */
export const ASSERTION_DEFECTS = {
  expired: "iat 120 s in the past (nbf = iat, exp = iat + 30): the assertion has expired",
  "not-yet-valid": "nbf 120 s in the future (iat, exp unchanged)",
  "iat-in-future": "iat 120 s in the future, exp = iat + 30 (nbf unchanged)",
  "lifetime-60s": "exp = iat + 60 instead of iat + 30",
  "millisecond-timestamps": "iat, nbf and exp in milliseconds instead of seconds",
  "wrong-aud": "aud is another party's id (EU.EORI.NL999999999)",
  "aud-array": "aud is an array holding the right id instead of a single string",
  "missing-aud": "no aud claim",
  "iss-not-sub": "sub is another party's id, iss unchanged",
  "missing-jti": "no jti claim",
  "missing-iat": "no iat claim",
  "missing-exp": "no exp claim",
  "alg-none": 'alg "none" and an empty signature',
  "alg-hs256": "alg HS256, HMAC keyed with the signer certificate's public key PEM (key confusion)",
  "alg-rs384": "alg RS384 with a valid RS384 signature (allowed from v2.1, not in v2.0)",
  "alg-rs512": "alg RS512 with a valid RS512 signature (allowed from v2.1, not in v2.0)",
  "extra-header-kid": "header carries kid (only alg, typ and x5c are allowed)",
  "extra-header-x5u":
    "header carries x5u https://127.0.0.1:9/ (never fetched; only alg, typ and x5c are allowed)",
  "missing-x5c": "header has no x5c",
  "empty-x5c": "x5c is an empty array",
  "leaf-only-chain": "x5c holds only the signer's certificate, not the chain",
  "reversed-chain": "x5c is in reverse order (root first)",
  "untrusted-root": "certificate chain under a self-made root that no one trusts",
  "expired-certificate": "signer's certificate (from the trusted CA) has expired",
  "not-yet-valid-certificate": "signer's certificate (from the trusted CA) is not yet valid",
  "small-key": "signer's certificate (from the trusted CA) has a 1024-bit RSA key",
  "unregistered-certificate":
    "valid certificate from the trusted CA for a new key, not the one registered for the party",
  "wrong-key": "signed with a key that does not match x5c[0]",
  "tampered-payload": "payload changed after signing (jti altered; every other claim still consistent)",
  "x5c-pem-armour": "x5c entries carry PEM armour lines instead of plain base64 DER",
} as const;

/** A defect name. */
export type AssertionDefect = keyof typeof ASSERTION_DEFECTS;

/** Every defect name, in catalogue order. */
export const ASSERTION_DEFECT_NAMES = Object.keys(ASSERTION_DEFECTS) as AssertionDefect[];

/** Defects that replace the signer's certificate; they need {@link CertificateMint}. */
export const CERTIFICATE_DEFECTS = [
  "untrusted-root",
  "expired-certificate",
  "not-yet-valid-certificate",
  "small-key",
  "unregistered-certificate",
] as const satisfies readonly AssertionDefect[];
export type CertificateDefect = (typeof CERTIFICATE_DEFECTS)[number];

/** Certificate defects that need a CA the target trusts (all but untrusted-root). */
export const ISSUER_DEFECTS = [
  "expired-certificate",
  "not-yet-valid-certificate",
  "small-key",
  "unregistered-certificate",
] as const satisfies readonly CertificateDefect[];

/** Type guard for a defect name (e.g. from a suite file). */
export function isAssertionDefect(name: string): name is AssertionDefect {
  return Object.hasOwn(ASSERTION_DEFECTS, name);
}

/** Type guard for the certificate defects. */
export function isCertificateDefect(defect: AssertionDefect): defect is CertificateDefect {
  return (CERTIFICATE_DEFECTS as readonly string[]).includes(defect);
}

/** The aud used by `wrong-aud`. */
export const WRONG_AUDIENCE = "EU.EORI.NL999999999";

/** The x5u used by `extra-header-x5u` (discard port on loopback: nothing to fetch). */
export const BOGUS_X5U = "https://127.0.0.1:9/";

/** A party id other than `avoid`, for iss-not-sub and tampered-payload. */
export function otherPartyId(...avoid: readonly unknown[]): string {
  return ["EU.EORI.NL000000002", "EU.EORI.NL000000007"].find((id) => !avoid.includes(id))!;
}
