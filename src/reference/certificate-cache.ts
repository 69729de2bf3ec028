/**
 * Decoded `x5c` certificates, cached by their exact base64 text. Clients send the same chain with every
 * assertion; decoding costs time, a lookup nothing. Semantically transparent: the same text always decodes to
 * the same certificate. Decoding is the reference's own (see certificate-judge.ts), not the harness's.
 */
import { type Certificate, readCertificate } from "./certificate-judge.ts";

const DEFAULT_CAPACITY = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes one x5c entry (RFC 7515 §4.1.6: base64 DER, not base64url, no PEM armour). @throws Error saying why not. */
export function decodeX5cEntry(b64: string): Certificate {
  if (b64.length === 0) throw new Error("empty certificate text");
  if (b64.includes("-----BEGIN")) throw new Error("PEM armour where plain base64 DER was expected");
  if (!BASE64.test(b64)) throw new Error("not standard base64 (characters outside A-Z a-z 0-9 + / =)");
  try {
    return readCertificate(Buffer.from(b64, "base64"));
  } catch {
    throw new Error("base64 that does not decode to a DER X.509 certificate");
  }
}

/** A bounded cache of decoded certificates (oldest entry evicted first). */
export class CertificateCache {
  readonly #entries = new Map<string, Certificate>();
  readonly #capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.#capacity = capacity;
  }

  /** A certificate the reference holds itself (its store, its registry), in the judge's form. */
  fromDer(der: ArrayBuffer | Uint8Array): Certificate {
    return readCertificate(new Uint8Array(der));
  }

  /** The certificate encoded by `b64` (standard base64 DER). @throws Error when the text is not one (never cached). */
  decode(b64: string): Certificate {
    const cached = this.#entries.get(b64);
    if (cached) return cached;
    const cert = decodeX5cEntry(b64);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(b64, cert);
    return cert;
  }
}
