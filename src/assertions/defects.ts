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
  "extra-header-jwk":
    "header carries a jwk of the attacker's key and the assertion is signed with it (x5c is the genuine chain)",
  "extra-header-jku":
    "header carries jku https://127.0.0.1:9/jwks (never fetched; only alg, typ and x5c are allowed)",
  "extra-header-x5t":
    "header carries x5t, the SHA-1 thumbprint of x5c[0] (only alg, typ and x5c are allowed)",
  "extra-header-x5t-s256":
    "header carries x5t#S256, the SHA-256 thumbprint of x5c[0] (only alg, typ and x5c are allowed)",
  "extra-header-crit":
    'header carries crit ["urn:example:unknown"] and that member (RFC 7515 §4.1.11: must be refused)',
  "alg-ps256":
    "alg PS256 with a valid RSASSA-PSS signature by the genuine key (iSHARE allows RS256/384/512 only)",
  "alg-es256": "alg ES256, signed with an EC P-256 key whose certificate the trusted CA issued",
  "alg-none-capitalised": 'alg "None" and an empty signature',
  "alg-none-uppercase": 'alg "NONE" and an empty signature',
  "typ-not-jwt": 'typ "JOSE" instead of "JWT"',
  "impostor-leaf-root":
    "x5c [impostor, genuine root]: a leaf with the party's subject signed by an attacker key, then the genuine root",
  "impostor-leaf-intermediate":
    "x5c [impostor, genuine issuing CA, genuine root]: the impostor leaf presented with the genuine intermediate",
  "forged-intermediate":
    "x5c [leaf, forged CA, genuine root]: an attacker CA carrying the genuine issuing CA's name signed the leaf",
  "ca-leaf": "signer's certificate (from the trusted CA) is a CA certificate (cA, keyCertSign)",
  "leaf-without-signing-usage":
    "signer's certificate (from the trusted CA) has keyUsage keyEncipherment only (no digitalSignature, nonRepudiation)",
  "expired-intermediate": "x5c [leaf, an expired copy of the issuing CA (same name and key), root]",
  "extra-unrelated-certificate": "x5c is the genuine chain followed by an unrelated self-signed certificate",
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
  "impostor-leaf-root",
  "impostor-leaf-intermediate",
  "forged-intermediate",
  "ca-leaf",
  "leaf-without-signing-usage",
  "alg-es256",
  "expired-intermediate",
  "extra-unrelated-certificate",
] as const satisfies readonly AssertionDefect[];
export type CertificateDefect = (typeof CERTIFICATE_DEFECTS)[number];

/** Certificate defects that need a CA the target trusts (all but untrusted-root). */
export const ISSUER_DEFECTS = [
  "expired-certificate",
  "not-yet-valid-certificate",
  "small-key",
  "unregistered-certificate",
  "ca-leaf",
  "leaf-without-signing-usage",
  "alg-es256",
] as const satisfies readonly CertificateDefect[];

/** The jku used by `extra-header-jku` (discard port on loopback: nothing to fetch). */
export const BOGUS_JKU = "https://127.0.0.1:9/jwks";

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
