/**
 * Decoded `x5c` certificates, cached by their exact base64 text. Clients send the same chain with every
 * assertion; parsing DER with @peculiar/x509 costs milliseconds, a lookup nothing. Semantically
 * transparent: the same text always decodes to the same certificate.
 */
import type { X509Certificate } from "@peculiar/x509";
import { certificateFromBase64Der } from "../pki/index.ts";

const DEFAULT_CAPACITY = 256;

/** A bounded cache of decoded certificates (oldest entry evicted first). */
export class CertificateCache {
  readonly #entries = new Map<string, X509Certificate>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /**
   * The certificate encoded by `b64` (standard base64 DER).
   * @throws Error from certificateFromBase64Der when the text is not a certificate (never cached).
   */
  decode(b64: string): X509Certificate {
    const cached = this.#entries.get(b64);
    if (cached) return cached;
    const cert = certificateFromBase64Der(b64);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(b64, cert);
    return cert;
  }
}
