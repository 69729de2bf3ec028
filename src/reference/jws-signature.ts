/**
 * The reference target's own JWS signature check (RFC 7515 §5.2, RFC 7518 §3): node:crypto `verify` over the
 * signing input, written apart from the harness's jose-based verifier so that the two never share a bug.
 */
import { constants, type KeyObject, verify } from "node:crypto";

const HASHES: Readonly<Record<string, string>> = {
  RS256: "sha256",
  RS384: "sha384",
  RS512: "sha512",
  PS256: "sha256",
  PS384: "sha384",
  PS512: "sha512",
  ES256: "sha256",
  ES384: "sha384",
  ES512: "sha512",
};

/** True when `signature` is a valid `alg` signature of `signingInput` by `key`; false for any other alg. */
export function signatureValid(
  alg: string,
  signingInput: string,
  signature: Buffer,
  key: KeyObject,
): boolean {
  const hash = HASHES[alg];
  if (!hash) return false;
  const data = Buffer.from(signingInput, "ascii");
  try {
    if (alg.startsWith("RS")) return key.asymmetricKeyType === "rsa" && verify(hash, data, key, signature);
    if (alg.startsWith("PS")) {
      if (key.asymmetricKeyType !== "rsa") return false;
      const saltLength = Number(alg.slice(2)) / 8;
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
    }
    return (
      key.asymmetricKeyType === "ec" && verify(hash, data, { key, dsaEncoding: "ieee-p1363" }, signature)
    );
  } catch {
    return false;
  }
}
