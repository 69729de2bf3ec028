/** RSA key generation and conversions between node:crypto KeyObjects and what @peculiar/x509 needs. */
import { createPublicKey, generateKeyPair, type KeyObject, webcrypto } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";

/** An RSA key pair as node:crypto KeyObjects. */
export interface RsaKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * Generates an RSA key pair (public exponent 65537). Any size Node accepts, including 1024 bits for
 * the deliberate "small key" certificate defect.
 */
export function generateRsaKeyPair(bits = 2048): Promise<RsaKeyPair> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      "rsa",
      { modulusLength: bits, publicExponent: 0x10001 },
      (error, publicKey, privateKey) => {
        if (error) reject(error);
        else resolve({ privateKey, publicKey });
      },
    );
  });
}

/** DER SubjectPublicKeyInfo of a public or private key. */
export function spkiDer(key: KeyObject): Buffer {
  const publicKey = key.type === "private" ? createPublicKey(key) : key;
  return publicKey.export({ format: "der", type: "spki" });
}

/** The certificate's public key as a node:crypto KeyObject. */
export function certificatePublicKey(cert: X509Certificate): KeyObject {
  return createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: "der", type: "spki" });
}

/** True when the private key is the one whose public half is in the certificate. */
export function keyMatchesCertificate(privateKey: KeyObject, cert: X509Certificate): boolean {
  try {
    return spkiDer(privateKey).equals(Buffer.from(cert.publicKey.rawData));
  } catch {
    return false;
  }
}

/** Imports an RSA private KeyObject into WebCrypto for signing certificates (sha256WithRSAEncryption). */
export function toWebCryptoSigningKey(privateKey: KeyObject): Promise<webcrypto.CryptoKey> {
  const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" });
  return webcrypto.subtle.importKey("pkcs8", pkcs8, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
    "sign",
  ]);
}
