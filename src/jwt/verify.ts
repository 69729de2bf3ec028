/** Verifying a JWS a target returned against a certificate's public key, with jose. */
import type { X509Certificate } from "@peculiar/x509";
import { compactVerify, errors } from "jose";
import { certificatePublicKey, MIN_RSA_BITS, subjectOf } from "../pki/index.ts";
import { decodeJws } from "./decode.ts";

/** Whether the signature holds, or why not. */
export type JwsVerdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Verifies `compact` with the public key of `cert`, accepting only `allowedAlgs` (spec digest §2.2:
 * RS256 in v2.0; RS256/RS384/RS512 from v2.1). Never throws.
 */
export async function verifyJwsWithCertificate(
  compact: string,
  cert: X509Certificate,
  allowedAlgs: readonly string[],
): Promise<JwsVerdict> {
  const decoded = decodeJws(compact);
  if (!decoded.ok) return decoded;
  const alg = decoded.header["alg"];
  if (typeof alg !== "string") return { ok: false, message: "the JWS header has no alg" };
  if (!allowedAlgs.includes(alg)) {
    return {
      ok: false,
      message: `alg ${JSON.stringify(alg)} is not allowed here (allowed: ${allowedAlgs.join(", ")})`,
    };
  }
  let key: ReturnType<typeof certificatePublicKey>;
  try {
    key = certificatePublicKey(cert);
  } catch {
    return { ok: false, message: `the public key of ${subjectOf(cert)} cannot be read` };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  const keyName =
    key.asymmetricKeyType === "rsa" && bits !== undefined
      ? `the ${bits}-bit RSA key of ${subjectOf(cert)}`
      : `the key of ${subjectOf(cert)}`;
  if (key.asymmetricKeyType === "rsa" && bits !== undefined && bits < MIN_RSA_BITS) {
    return { ok: false, message: `${keyName} is too small to verify ${alg} (at least ${MIN_RSA_BITS} bits)` };
  }
  try {
    await compactVerify(compact.trim(), key, { algorithms: [...allowedAlgs] });
    return { ok: true };
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return { ok: false, message: `the ${alg} signature does not verify with ${keyName}` };
    }
    return { ok: false, message: `the JWS does not verify with ${keyName}: ${(error as Error).message}` };
  }
}
