/**
 * Decrypting a compact JWE (RFC 7516 §7.1) with the reference Identity Provider's own RSA key, in plain
 * node:crypto: RSA-OAEP-256 key encryption and A256GCM content encryption, the pair the harness uses for
 * iSHARE 3.0 request objects ("the request JWT MUST be encrypted using JWE", iSHARE OpenAPI 3.0
 * /connect/authorize). Independent of the harness's jose-based encryption.
 */
import { constants, createDecipheriv, type KeyObject, privateDecrypt } from "node:crypto";

/** The JWE's plaintext, or why it could not be decrypted. */
export type JweOpening =
  | { readonly ok: true; readonly plaintext: string; readonly header: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly reason: string };

/** True when `value` looks like a compact JWE (five dot-separated parts) rather than a JWS (three). */
export function isCompactJwe(value: string): boolean {
  return value.split(".").length === 5;
}

/** Decrypts `compact` with `key` (the IdP's private key). */
export function openCompactJwe(compact: string, key: KeyObject): JweOpening {
  const parts = compact.split(".");
  if (parts.length !== 5) return { ok: false, reason: `a JWE has 5 parts, this has ${parts.length}` };
  const [protectedB64, encryptedKeyB64, ivB64, ciphertextB64, tagB64] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(protectedB64, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "the JWE protected header is not JSON" };
  }
  if (header["alg"] !== "RSA-OAEP-256" || header["enc"] !== "A256GCM") {
    return {
      ok: false,
      reason: `JWE alg/enc ${String(header["alg"])}/${String(header["enc"])} not supported (RSA-OAEP-256/A256GCM)`,
    };
  }
  try {
    const cek = privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      Buffer.from(encryptedKeyB64, "base64url"),
    );
    const decipher = createDecipheriv("aes-256-gcm", cek, Buffer.from(ivB64, "base64url"));
    decipher.setAAD(Buffer.from(protectedB64, "ascii"));
    decipher.setAuthTag(Buffer.from(tagB64, "base64url"));
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertextB64, "base64url")),
      decipher.final(),
    ]).toString("utf8");
    return { ok: true, plaintext, header };
  } catch {
    return { ok: false, reason: "the JWE does not decrypt with the Identity Provider's key" };
  }
}
