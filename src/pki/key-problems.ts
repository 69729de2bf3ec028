/** Key properties of a signer's certificate that iSHARE verifiers reject (spec digest §2.6, §8). */
import type { X509Certificate } from "@peculiar/x509";
import { certificatePublicKey } from "./keys.ts";
import { x509 } from "./x509.ts";

/** Smallest RSA modulus accepted (reference AR rule; the iSHARE text states no number). */
export const MIN_RSA_BITS = 2048;

/**
 * Problems with a leaf (signing) certificate's key: not RSA, RSA below {@link MIN_RSA_BITS} bits, or
 * keyUsage including keyCertSign (a CA key used to sign). Empty when none.
 */
export function leafKeyProblems(cert: X509Certificate): string[] {
  const problems: string[] = [];
  let type: string | undefined;
  let bits: number | undefined;
  try {
    const key = certificatePublicKey(cert);
    type = key.asymmetricKeyType;
    bits = key.asymmetricKeyDetails?.modulusLength;
  } catch {
    problems.push("the certificate's public key cannot be read");
  }
  if (type !== undefined && type !== "rsa") {
    problems.push(`the certificate's key is ${type}, not RSA (iSHARE signs with RS256)`);
  } else if (type === "rsa" && bits !== undefined && bits < MIN_RSA_BITS) {
    problems.push(`the certificate's RSA key has ${bits} bits, fewer than ${MIN_RSA_BITS}`);
  }
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) !== 0) {
    problems.push(
      "the certificate's keyUsage includes keyCertSign (a CA certificate, not a party certificate)",
    );
  }
  return problems;
}
