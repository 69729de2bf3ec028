/** SHA-256 certificate fingerprints in the two forms iSHARE registries publish. */
import { createHash } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";

function sha256Hex(cert: X509Certificate): string {
  return createHash("sha256").update(Buffer.from(cert.rawData)).digest("hex");
}

/** SHA-256 of the DER certificate, upper-case hex without colons: the `/trusted_list` form (spec digest §6.4, §8). */
export function sha256Fingerprint(cert: X509Certificate): string {
  return sha256Hex(cert).toUpperCase();
}

/** SHA-256 of the DER certificate, lower-case hex: a party record's `x5t#s256` (spec digest §8). */
export function sha256Thumbprint(cert: X509Certificate): string {
  return sha256Hex(cert);
}
