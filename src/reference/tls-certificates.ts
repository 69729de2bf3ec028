/**
 * TLS server certificates for the reference target's HTTPS mode, issued by the test PKI: a valid one for
 * the loopback names, and the three broken ones of the TLS chaos faults (self-signed, expired, wrong host).
 * Keys are EC P-256: fast to generate, and unrelated to the iSHARE signing keys.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, webcrypto } from "node:crypto";
import type { CaMaterial } from "../pki/index.ts";
import { spkiDer, toWebCryptoSigningKey } from "../pki/keys.ts";
import { toPem } from "../pki/pem.ts";
import { x509 } from "../pki/x509.ts";

/** Which server certificate to make. */
export type ServerCertificateKind = "valid" | "self-signed" | "expired" | "wrong-host";

/** A server certificate (PEM, leaf then issuing CA) with its key. */
export interface ServerTls {
  readonly certificatePem: string;
  readonly key: KeyObject;
}

/** Host names the valid certificate covers. */
export const LOOPBACK_NAMES = { dns: ["localhost"], ip: ["127.0.0.1", "::1"] } as const;

const DAY_MS = 86_400_000;

/** The server certificate a TLS chaos fault asks for; undefined when none is planted (plain HTTP). */
export function tlsChaosCertificate(faults: readonly string[]): ServerCertificateKind | undefined {
  if (faults.includes("chaos.tls-self-signed")) return "self-signed";
  if (faults.includes("chaos.tls-expired")) return "expired";
  if (faults.includes("chaos.tls-wrong-host")) return "wrong-host";
  return undefined;
}

/** Makes a server certificate of `kind` for the loopback names, issued by `issuing` unless self-signed. */
export async function serverCertificate(
  kind: ServerCertificateKind,
  issuing: CaMaterial,
  now: number,
): Promise<ServerTls> {
  const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const names =
    kind === "wrong-host"
      ? [{ type: "dns" as const, value: "wrong-host.invalid" }]
      : [
          ...LOOPBACK_NAMES.dns.map((value) => ({ type: "dns" as const, value })),
          ...LOOPBACK_NAMES.ip.map((value) => ({ type: "ip" as const, value })),
        ];
  const [notBefore, notAfter] =
    kind === "expired" ? [now - 400 * DAY_MS, now - DAY_MS] : [now - DAY_MS, now + 365 * DAY_MS];
  const selfSigned = kind === "self-signed";
  const subject = `CN=${kind === "wrong-host" ? "wrong-host.invalid" : "localhost"}, O=iSHARE Conformance Test, C=NL`;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `1${randomBytes(8).toString("hex")}`,
    subject,
    issuer: selfSigned ? subject : issuing.certificate.subject,
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
    publicKey: spkiDer(keys.publicKey),
    signingKey: selfSigned
      ? await ecSigningKey(keys.privateKey)
      : await toWebCryptoSigningKey(issuing.privateKey),
    signingAlgorithm: selfSigned
      ? { name: "ECDSA", hash: "SHA-256" }
      : { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(names, false),
    ],
  });
  return {
    certificatePem: toPem(cert) + (selfSigned ? "" : toPem(issuing.certificate)),
    key: keys.privateKey,
  };
}

function ecSigningKey(privateKey: KeyObject): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey(
    "pkcs8",
    privateKey.export({ format: "der", type: "pkcs8" }),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
}
