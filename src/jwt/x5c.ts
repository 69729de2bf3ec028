/** Reading the `x5c` certificate chain from a JWS header (spec digest §2.2). */
import type { X509Certificate } from "@peculiar/x509";
import { certificateFromBase64Der, MAX_CHAIN_LENGTH } from "../pki/index.ts";

/** The parsed chain, or why it cannot be read. */
export type X5cResult =
  | { readonly ok: true; readonly certs: X509Certificate[] }
  | { readonly ok: false; readonly message: string };

/**
 * Parses `header.x5c`: a non-empty array (at most {@link MAX_CHAIN_LENGTH} entries) of base64 DER
 * certificates, signer first. Never throws.
 */
export function x5cCertificates(header: Record<string, unknown>): X5cResult {
  if (!Object.hasOwn(header, "x5c"))
    return { ok: false, message: "the JWS header has no x5c certificate chain" };
  const x5c = header["x5c"];
  if (!Array.isArray(x5c)) {
    return {
      ok: false,
      message: `x5c must be an array of base64 DER certificates, got ${describeType(x5c)}`,
    };
  }
  if (x5c.length === 0)
    return { ok: false, message: "x5c is an empty array; it must hold the signer's chain" };
  if (x5c.length > MAX_CHAIN_LENGTH) {
    return { ok: false, message: `x5c has ${x5c.length} entries; at most ${MAX_CHAIN_LENGTH} are examined` };
  }
  const certs: X509Certificate[] = [];
  for (const [index, entry] of x5c.entries()) {
    if (typeof entry !== "string") {
      return { ok: false, message: `x5c[${index}] must be a base64 DER string, got ${describeType(entry)}` };
    }
    try {
      certs.push(certificateFromBase64Der(entry));
    } catch (error) {
      return { ok: false, message: `x5c[${index}] is not a certificate: ${(error as Error).message}` };
    }
  }
  return { ok: true, certs };
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
