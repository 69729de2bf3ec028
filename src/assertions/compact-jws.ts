/**
 * Signing compact JWS with node:crypto, deliberately permissive: RSA keys of any size, HMAC and "none",
 * so the harness can build wrong tokens on purpose. (jose refuses those, rightly; it verifies elsewhere.)
 */
import { constants, createHmac, type KeyObject, sign } from "node:crypto";

/** Algorithms {@link signCompactJws} can produce. */
export const SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "HS256", "none"] as const;

const RSA_HASH: Readonly<Record<string, string>> = { RS256: "sha256", RS384: "sha384", RS512: "sha512" };

/** base64url without padding (RFC 7515 §2). */
export function base64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString("base64url");
}

/** base64url of the JSON text of a header or payload. */
export function encodeJsonSegment(value: Record<string, unknown>): string {
  return base64url(JSON.stringify(value));
}

/**
 * Builds `base64url(header).base64url(payload).signature`. The header is used as given (its `alg` is not
 * forced to match `alg`, so mismatches can be planted). RS256/RS384/RS512 sign with RSASSA-PKCS1-v1_5 and
 * an RSA private KeyObject of any size; HS256 uses a byte secret; "none" gives an empty signature.
 * @throws Error when the algorithm is unknown or the key does not suit it.
 */
export function signCompactJws(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject | Uint8Array | null,
  alg: string,
): string {
  const signingInput = `${encodeJsonSegment(header)}.${encodeJsonSegment(payload)}`;
  return `${signingInput}.${signature(signingInput, key, alg)}`;
}

function signature(signingInput: string, key: KeyObject | Uint8Array | null, alg: string): string {
  if (alg === "none" || alg.toLowerCase() === "none") return "";
  if (alg === "PS256" || alg === "ES256") {
    const wanted = alg === "PS256" ? "rsa" : "ec";
    if (
      key === null ||
      key instanceof Uint8Array ||
      key.type !== "private" ||
      key.asymmetricKeyType !== wanted
    )
      throw new Error(`${alg} needs an ${wanted.toUpperCase()} private key`);
    const options =
      alg === "PS256"
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
        : { key, dsaEncoding: "ieee-p1363" as const };
    return base64url(sign("sha256", Buffer.from(signingInput), options));
  }
  if (alg === "HS256") {
    if (!(key instanceof Uint8Array)) throw new Error("HS256 needs a byte secret (Uint8Array)");
    return base64url(createHmac("sha256", key).update(signingInput).digest());
  }
  const hash = RSA_HASH[alg];
  if (!hash)
    throw new Error(
      `cannot sign with alg ${JSON.stringify(alg)}; use one of ${SIGNING_ALGORITHMS.join(", ")}`,
    );
  if (
    key === null ||
    key instanceof Uint8Array ||
    key.type !== "private" ||
    key.asymmetricKeyType !== "rsa"
  ) {
    throw new Error(`${alg} needs an RSA private key`);
  }
  return base64url(sign(hash, Buffer.from(signingInput), key));
}
