/** PEM and base64-DER input/output for keys and certificates, with errors a user can act on. */
import { createPrivateKey, type KeyObject } from "node:crypto";
import type { X509Certificate } from "@peculiar/x509";
import { readRegularFile, UnreadableFileError } from "../config/regular-file.ts";
import { ConfigError } from "../errors.ts";
import { x509 } from "./x509.ts";

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 (`BEGIN RSA PRIVATE KEY`) or encrypted
 * PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`, needs `passphrase`). Only RSA keys are accepted (iSHARE signs RS256).
 * @param source where the text came from (a file path or config key), used in messages.
 * @throws ConfigError("KEY") naming the source, the problem and the fix; never the key bytes.
 */
/** Key types iSHARE allows a signer (RS256/384/512); the ES256 test variant also accepts `ec`. */
export type KeyTypes = readonly ("rsa" | "ec")[];

export function parsePrivateKeyPem(
  text: string,
  source: string,
  passphrase?: string,
  keyTypes: KeyTypes = ["rsa"],
): KeyObject {
  const encrypted =
    text.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----") || /Proc-Type:\s*4,ENCRYPTED/.test(text);
  if (!/-----BEGIN (RSA |ENCRYPTED |EC )?PRIVATE KEY-----/.test(text)) {
    const hint = text.includes("-----BEGIN CERTIFICATE-----")
      ? "it holds a certificate, not a private key; point the key setting at the private key file"
      : text.includes("-----BEGIN PUBLIC KEY-----")
        ? "it holds a public key; the private key is needed to sign"
        : "no '-----BEGIN PRIVATE KEY-----' block found; supply a PEM PKCS#8 or PKCS#1 RSA private key";
    throw new ConfigError("KEY", `${source}: not a PEM private key: ${hint}`);
  }
  if (encrypted && passphrase === undefined) {
    throw new ConfigError(
      "KEY",
      `${source}: the private key is encrypted and no passphrase was given; set the key's passphrase in the configuration or supply an unencrypted PKCS#8 key`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(
      passphrase === undefined ? { key: text, format: "pem" } : { key: text, format: "pem", passphrase },
    );
  } catch (error) {
    const reason = encrypted
      ? "the passphrase is wrong or the encryption is not supported"
      : "the PEM block does not decode to a private key (damaged or truncated file?)";
    throw new ConfigError(
      "KEY",
      `${source}: cannot read the private key: ${reason}; check the file and passphrase`,
      {
        cause: sanitizeCause(error),
      },
    );
  }
  if (!(keyTypes as readonly string[]).includes(key.asymmetricKeyType ?? "")) {
    throw new ConfigError(
      "KEY",
      `${source}: the private key is ${key.asymmetricKeyType ?? "of an unknown type"}, but iSHARE requires RSA keys (RS256); supply an RSA private key`,
    );
  }
  return key;
}

/** Node crypto errors do not include key bytes, but keep only the code and message to be safe. */
function sanitizeCause(error: unknown): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  return new Error(typeof code === "string" ? code : "crypto error");
}

/**
 * Parses every `BEGIN CERTIFICATE` block in a PEM text, in order.
 * @throws ConfigError("CERTIFICATE") when there is none or one does not parse.
 */
export function parseCertificatesPem(
  text: string,
  source: string,
  maxCertificates?: number,
): X509Certificate[] {
  const blocks = [...text.matchAll(CERT_BLOCK)].map((m) => (m[1] ?? "").replace(/\s+/g, ""));
  if (maxCertificates !== undefined && blocks.length > maxCertificates) {
    // Counted before anything is parsed: such a chain would go into every client assertion's x5c.
    throw new ConfigError(
      "CERTIFICATE",
      `${source}: the chain holds ${blocks.length} certificates; an x5c chain carries at most ${maxCertificates} (leaf, intermediates, root): keep only the signing certificate's own chain`,
    );
  }
  if (blocks.length === 0) {
    const hint = /PRIVATE KEY-----/.test(text)
      ? "it holds a private key; point the certificate setting at the certificate (chain) file"
      : "supply PEM certificates ('-----BEGIN CERTIFICATE-----' blocks), leaf first";
    throw new ConfigError("CERTIFICATE", `${source}: no certificate found: ${hint}`);
  }
  return blocks.map((b64, index) => {
    try {
      return certificateFromBase64Der(b64);
    } catch (error) {
      throw new ConfigError(
        "CERTIFICATE",
        `${source}: certificate ${index + 1} of ${blocks.length} cannot be parsed (${(error as Error).message}); replace it with a valid X.509 certificate`,
      );
    }
  });
}

/** Reads and parses a PEM private key file. @throws ConfigError("KEY") */
export async function readPrivateKeyFile(
  path: string,
  passphrase?: string,
  keyTypes?: KeyTypes,
): Promise<KeyObject> {
  return parsePrivateKeyPem(await readText(path, "KEY", "private key"), path, passphrase, keyTypes);
}

/** Reads every certificate of a PEM file (leaf first for a chain file). @throws ConfigError("CERTIFICATE") */
export async function readCertificateFile(
  path: string,
  maxCertificates?: number,
): Promise<X509Certificate[]> {
  return parseCertificatesPem(await readText(path, "CERTIFICATE", "certificate"), path, maxCertificates);
}

async function readText(path: string, code: "KEY" | "CERTIFICATE", what: string): Promise<string> {
  try {
    return readRegularFile(path);
  } catch (error) {
    const reason = error instanceof UnreadableFileError ? error.reason : String(error);
    throw new ConfigError(
      code,
      `${path}: cannot read the ${what} file (${reason}); check the path in the configuration`,
    );
  }
}

/** PEM text of a certificate (`-----BEGIN CERTIFICATE-----`, 64-column base64, trailing newline). */
export function toPem(cert: X509Certificate): string {
  const b64 = toBase64Der(cert)
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** PKCS#8 PEM of a private key (for files the user owns; never for logs or reports). */
export function privateKeyToPem(key: KeyObject): string {
  return key.export({ format: "pem", type: "pkcs8" }).toString();
}

/** Standard base64 of the certificate's DER (the JWS `x5c` entry form, RFC 7515 §4.1.6). */
export function toBase64Der(cert: X509Certificate): string {
  return Buffer.from(cert.rawData).toString("base64");
}

/**
 * Parses one `x5c` entry: standard base64 of a DER certificate.
 * @throws Error with a plain description when the text is not base64 or not a certificate.
 */
export function certificateFromBase64Der(b64: string): X509Certificate {
  if (typeof b64 !== "string" || b64.length === 0) throw new Error("empty certificate text");
  if (b64.includes("-----BEGIN")) {
    throw new Error("PEM armour ('-----BEGIN CERTIFICATE-----') where plain base64 DER was expected");
  }
  if (!BASE64.test(b64)) throw new Error("not standard base64 (characters outside A-Z a-z 0-9 + / =)");
  const der = Buffer.from(b64, "base64");
  const declared = derLength(der);
  if (declared !== undefined && declared < der.length) {
    throw new Error(
      `DER certificate (${declared} bytes) followed by ${der.length - declared} trailing bytes`,
    );
  }
  let cert: X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch {
    throw new Error(`base64 decodes to ${der.length} bytes that are not a DER X.509 certificate`);
  }
  return cert;
}

/** Total length of the outer DER SEQUENCE (header + content), or undefined when the header is unreadable. */
function derLength(der: Buffer): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[2 + i]!;
  return 2 + count + length;
}
